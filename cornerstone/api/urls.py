"""The REST API under /api/v1/ (django-ninja), with its OpenAPI schema and docs.

The docs page is ninja's Swagger UI served from ninja's own static files ("ninja" is in
INSTALLED_APPS), so it needs no internet access and runs no inline script.
"""

from ninja import NinjaAPI, Swagger

from cornerstone.api import (
    alerts,
    campaigns,
    dispatch,
    errors,
    evaluation,
    imports,
    notifications,
    plans,
    problems,
    progress,
    projects,
    reference,
    stats,
)
from cornerstone.api.auth import AUTH

api = NinjaAPI(
    title="基石 Cornerstone API",
    version="1",
    description=(
        "重点项目全生命周期管理平台的接口。认证：在“接口令牌”页面创建令牌后，"
        "在请求头中发送 `Authorization: Bearer <令牌>`；已登录的浏览器会话也可直接调用"
        "（写操作需带 CSRF 令牌）。金额单位为万元，以字符串表示的精确小数；日期为 YYYY-MM-DD。"
        "所有错误都返回 `{detail, errors: [{field, message}]}`。"
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # validatorUrl: Swagger UI would otherwise fetch a badge from validator.swagger.io;
    # persistAuthorization off: a pasted token is not kept in the browser's localStorage.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    auth=AUTH,
)
errors.install(api)
api.add_router("/", projects.router)
api.add_router("/", reference.router)
api.add_router("/", imports.router)
api.add_router("/", plans.router)
api.add_router("/", progress.router)
api.add_router("/", problems.router)
api.add_router("/", alerts.router)
api.add_router("/", dispatch.router)
api.add_router("/", notifications.router)
api.add_router("/", stats.router)
api.add_router("/", evaluation.router)
api.add_router("/", campaigns.router)
