"""Build the demo province (山西省) with its projects and one account per role."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cornerstone.accounts.models import User
from cornerstone.projects.demo import (
    DEMO_PASSWORD,
    Credential,
    credentials_describe,
    demo_load,
    demo_reset,
    demo_usernames,
)
from cornerstone.projects.models import Project


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def credentials_table(rows: list[Credential]) -> str:
    """The accounts as an aligned text table (CJK characters count two columns)."""
    header = Credential("用户名", "密码", "角色", "区划/范围", "可见内容")
    table = [header, *rows]
    columns = ["username", "password", "role", "scope"]
    widths = {c: max(_width(str(getattr(r, c))) for r in table) for c in columns}
    lines = []
    for row in table:
        cells = [_pad(str(getattr(row, c)), widths[c]) for c in columns]
        lines.append("  ".join([*cells, str(row.sees)]))
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "载入演示数据：山西省 11 个市及所辖县区的重点项目台账（默认 2000 个项目）和各角色账号。"
        "已有项目时拒绝执行，除非加 --reset（先删除演示数据）或 --if-empty（什么也不做）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=int, default=2000, help="项目数（默认 2000）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
        parser.add_argument(
            "--reset", action="store_true", help="先删除已有的演示项目、环节、账号和操作记录"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="台账中已有项目时什么也不做（用于首次启动）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["projects"]
        if count < 1:
            raise CommandError("--projects 必须是正整数。")
        if options["reset"] and options["if_empty"]:
            raise CommandError("--reset 与 --if-empty 不能同时使用。")
        existing = Project.objects.count()
        if existing and options["if_empty"]:
            self.stdout.write(f"台账中已有 {existing} 个项目，未载入演示数据（--if-empty）。")
            self._existing_credentials()
            return
        if existing and not options["reset"]:
            raise CommandError(
                f"台账中已有 {existing} 个项目，未载入演示数据。"
                "要删除演示数据后重新生成，请加 --reset；只在空台账时载入，请加 --if-empty。"
            )
        if options["reset"]:
            removed = demo_reset(progress=self._progress(existing))
            remaining = Project.objects.count()
            self.stdout.write(f"已删除 {removed} 个演示项目及其环节、操作记录和演示账号。")
            if remaining:
                raise CommandError(
                    f"台账中还有 {remaining} 个不是由演示数据生成的项目，"
                    "演示数据只能载入空台账，未载入。"
                )
        self.stdout.write(f"正在生成山西省演示台账：{count} 个项目（种子 {options['seed']}）…")
        result = demo_load(projects=count, seed=options["seed"], progress=self._progress(count))
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {result.projects} 个项目、{result.steps} 条环节记录，"
                f"用时 {result.seconds:.1f} 秒。"
            )
        )
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}，仅供演示）：\n")
        self.stdout.write(credentials_table(result.credentials))

    def _existing_credentials(self) -> None:
        # bin/demo runs this on every start: the logins stay one scroll away.
        by_name = User.objects.in_bulk(demo_usernames(), field_name="username")
        users = {name: by_name[name] for name in demo_usernames() if name in by_name}
        if users:
            self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}，仅供演示）：\n")
            self.stdout.write(credentials_table(credentials_describe(users)))

    def _progress(self, total: int) -> Any:
        # Small runs finish in a blink; a line per batch only helps for large ones.
        if total <= 5000:
            return None
        return lambda line: self.stdout.write(line)
