"""Vocabulary of the demo province (山西省): places, zones, units, people and project recipes.

Only data lives here; ``demo.py`` draws from it. Region codes are GB/T 2260 codes that
``load_reference_data`` loads; everything else is plausible invention, not a record of
real projects or companies.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE_CODE = "140000"
PROVINCE_PINYIN = "shanxi"
PROVINCE_ABBR = "晋"


@dataclass(frozen=True)
class City:
    """What the demo needs to know of a city beyond its code and name."""

    code: str
    pinyin: str
    weight: float  # share of the province's projects, roughly its economic weight
    longitude: float
    latitude: float
    area_code: str  # telephone area code, for plausible landline numbers
    abbr: str  # the short form used in document numbers (并发改…)
    rivers: tuple[str, ...]


CITIES = [
    City("140100", "taiyuan", 25, 112.549, 37.857, "0351", "并", ("汾河", "潇河")),
    City("140200", "datong", 8, 113.300, 40.076, "0352", "同", ("桑干河", "御河")),
    City("140300", "yangquan", 4, 113.580, 37.857, "0353", "阳", ("桃河", "温河")),
    City("140400", "changzhi", 11, 113.117, 36.195, "0355", "长", ("浊漳河", "沁河")),
    City("140500", "jincheng", 8, 112.851, 35.491, "0356", "晋市", ("沁河", "丹河")),
    City("140600", "shuozhou", 6, 112.433, 39.331, "0349", "朔", ("桑干河", "恢河")),
    City("140700", "jinzhong", 9, 112.753, 37.687, "0354", "晋中", ("潇河", "昌源河")),
    City("140800", "yuncheng", 9, 111.007, 35.026, "0359", "运", ("涑水河", "黄河")),
    City("140900", "xinzhou", 6, 112.734, 38.417, "0350", "忻", ("滹沱河", "汾河")),
    City("141000", "linfen", 9, 111.519, 36.088, "0357", "临", ("汾河", "黄河")),
    City("141100", "lvliang", 10, 111.144, 37.519, "0358", "吕", ("文峪河", "三川河")),
]
CITIES_BY_CODE = {c.code: c for c in CITIES}

# Counties that get an admin of their own, with the ASCII name used in the username.
COUNTY_ADMINS = [
    ("140105", "xiaodian"),
    ("140171", "zonggai"),
    ("140702", "yuci"),
    ("140802", "yanhu"),
]

# Extra weight for the counties where projects cluster: urban cores and development areas.
COUNTY_WEIGHTS = {
    "140171": 6.0,  # 山西转型综合改革示范区
    "140105": 2.5,  # 小店区
    "140109": 2.0,  # 万柏林区
    "140271": 2.5,  # 山西大同经济开发区
    "140403": 2.0,  # 潞州区
    "140702": 2.0,  # 榆次区
    "140802": 2.0,  # 盐湖区
    "141002": 2.0,  # 尧都区
    "141181": 2.0,  # 孝义市
    "140681": 1.8,  # 怀仁市
}

# (name, kind, region code): development zones in the division that hosts them.
ZONES = [
    ("太原高新技术产业开发区", "national", "140171"),
    ("太原经济技术开发区", "national", "140171"),
    ("潇河产业园区", "area", "140171"),
    ("太原武宿综合保税区", "national", "140171"),
    ("山西清徐经济开发区", "provincial", "140121"),
    ("大同经济技术开发区", "national", "140271"),
    ("长治高新技术产业开发区", "national", "140403"),
    ("晋城经济技术开发区", "national", "140502"),
    ("晋中经济技术开发区", "national", "140702"),
    ("山西朔州经济开发区", "provincial", "140671"),
    ("运城经济技术开发区", "provincial", "140802"),
    ("山西忻州经济开发区", "provincial", "140902"),
    ("临汾经济开发区", "provincial", "141002"),
    ("山西孝义经济开发区", "provincial", "141181"),
]

# Departments (责任单位) per level: (key, name suffix). County environment bureaus are
# branches of the city's since the 2019 vertical reform, hence the separate pattern.
PROVINCE_DEPARTMENTS = [
    ("fgw", "发展和改革委员会"),
    ("gxt", "工业和信息化厅"),
    ("zrzy", "自然资源厅"),
    ("sthj", "生态环境厅"),
    ("zjt", "住房和城乡建设厅"),
    ("jtt", "交通运输厅"),
    ("slt", "水利厅"),
    ("swt", "商务厅"),
]
CITY_DEPARTMENTS = [
    ("fgw", "发展和改革委员会"),
    ("gxj", "工业和信息化局"),
    ("zrzy", "规划和自然资源局"),
    ("sthj", "生态环境局"),
    ("zjj", "住房和城乡建设局"),
    ("jtj", "交通运输局"),
    ("slj", "水利局"),
    ("swj", "商务局"),
]
COUNTY_DEPARTMENTS = [
    ("fgj", "发展和改革局"),
    ("gxj", "工业和信息化局"),
    ("zrzy", "自然资源局"),
    ("sthj", "生态环境分局"),
    ("zjj", "住房和城乡建设局"),
    ("jtj", "交通运输局"),
    ("slj", "水利局"),
    ("swj", "商务局"),
]
ZONE_DEPARTMENTS = [
    ("fgj", "经济发展局"),
    ("gxj", "产业发展局"),
    ("zrzy", "规划和自然资源局"),
    ("sthj", "生态环境局"),
    ("zjj", "建设管理局"),
    ("jtj", "建设管理局"),
    ("slj", "建设管理局"),
    ("swj", "投资促进局"),
]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_CHARS = (
    "建国军伟强磊洋勇杰涛明超辉华平刚志宏丽敏静艳芳娟霞红玲秀英慧晋鹏飞斌波海亮新文利"
    "春晓峰宇彬瑞鑫博浩然晨阳光立東俊卫东林荣德安斌泽"
)

TRADE_FIRST = "华鑫恒瑞泰宏嘉晟源盛隆昌达丰祥安立新德信博创卓远晋汾太龙潞并"
TRADE_SECOND = "瑞泰源盛达丰祥安科宇恒通辉禾川岳峰润航嘉耀驰铭联"

LEADER_TITLES = {
    "province": ("副省长",),
    "city": ("市委常委、副市长", "副市长", "市人大常委会副主任", "市政协副主席"),
    "区": ("区委书记", "区委副书记、区长", "副区长", "区委常委、副区长"),
    "县": ("县委书记", "县委副书记、县长", "副县长", "县委常委、副县长"),
    "市": ("市委书记", "市委副书记、市长", "副市长", "市委常委、副市长"),
    "zone": ("管委会主任", "管委会副主任", "党工委副书记"),
}

NATIONAL_ROADS = (108, 207, 208, 209, 239, 307, 309, 339, 341)

# Scenic areas and the county that holds each.
SCENIC_SPOTS = [
    ("五台山", "140922"),
    ("云冈石窟", "140214"),
    ("平遥古城", "140728"),
    ("壶口瀑布", "141028"),
    ("皇城相府", "140522"),
    ("王莽岭", "140524"),
    ("绵山", "140781"),
    ("晋祠", "140110"),
    ("乔家大院", "140727"),
    ("永乐宫", "140830"),
    ("鹳雀楼", "140881"),
    ("太行山大峡谷", "140427"),
    ("芦芽山", "140925"),
    ("碛口古镇", "141124"),
    ("王家大院", "140729"),
    ("悬空寺", "140225"),
    ("雁门关", "140923"),
]

# Provincial key industry chains (产业链) a project of each family may belong to.
CHAIN_TAGS = {
    "materials": ("特钢材料产业链", "铝镁精深加工产业链", "碳基新材料产业链", "第三代半导体产业链"),
    "equipment": ("新能源汽车产业链", "风电装备产业链", "高端装备制造产业链", "节能环保产业链"),
    "electronics": ("信创产业链", "第三代半导体产业链", "光电产业链"),
    "energy": ("光伏产业链", "氢能产业链", "风电装备产业链"),
    "coal": ("碳基新材料产业链", "氢能产业链"),
    "medicine": ("现代医药产业链", "合成生物产业链"),
    "food": ("特色食品产业链",),
    "digital": ("大数据融合产业链", "信创产业链"),
}
CHAIN_ROLES = ("链主", "强链", "补链", "延链")


@dataclass(frozen=True)
class Item:
    """One kind of project: a name pattern and the GB/T 4754 division it belongs to.

    ``cost`` is 万元 per unit of ``{qty}`` in the name (0 when the name has none), so
    that the quantity in a name grows with the project's investment.
    """

    name: str
    division: str
    cost: float = 0.0
    capacity: str = ""
    invest: tuple[int, int] | None = None  # overrides the family's range
    scope: str = "county"  # "county", "city", "province" or "taiyuan"
    scenic: bool = False
    weight: float = 1.0  # relative to the other items of its family


@dataclass(frozen=True)
class Family:
    """A group of similar projects sharing category, money range, land use and owner kind."""

    key: str
    category: str
    weight: float
    invest: tuple[int, int]  # 万元, sampled log-uniformly (skewed low)
    items: tuple[Item, ...]
    land_use: str
    footprint: str  # "building", "linear", "area" or "none"
    owners: tuple[str, ...]  # owner name patterns; "{enterprise}" is a generated company
    company_suffixes: tuple[str, ...] = ()
    departments: tuple[str, ...] = ("fgj",)
    productive: bool = True  # whether 投产/达产 mean something for it
    renovation: tuple[tuple[str, str], ...] = ()  # (product, division) for 技改 names
    content: str = ""
    build_factor: float = 1.0


def cross(
    patterns: tuple[str, ...],
    products: tuple[tuple[str, str], ...],
    cost: float = 0.0,
    capacity: str = "",
) -> tuple[Item, ...]:
    """Every pattern with every product (``{item}`` in a pattern is the product)."""
    return tuple(
        Item(
            pattern.replace("{item}", product),
            division,
            cost if "{qty}" in pattern else 0.0,
            capacity.replace("{item}", product) if "{qty}" in pattern else "",
        )
        for pattern in patterns
        for product, division in products
    )


MATERIALS = (
    ("高端电子新材料", "39"),
    ("半导体硅材料", "39"),
    ("碳化硅衬底材料", "39"),
    ("高性能铝合金材料", "32"),
    ("镁合金精深加工", "32"),
    ("锂电池正极材料", "38"),
    ("锂电池负极材料", "38"),
    ("特种玻璃纤维", "30"),
    ("玄武岩纤维", "30"),
    ("光伏玻璃", "30"),
    ("煤基碳材料", "30"),
    ("生物降解材料", "29"),
    ("高端特种钢材", "31"),
    ("不锈钢精密带钢", "31"),
    ("电子级化学品", "26"),
    ("合成生物基材料", "26"),
)
EQUIPMENT = (
    ("智能煤机装备", "35"),
    ("轨道交通装备", "37"),
    ("新能源汽车零部件", "36"),
    ("风电装备", "38"),
    ("氢燃料电池电堆", "38"),
    ("工业机器人", "34"),
    ("节能环保装备", "35"),
    ("智能电网成套设备", "38"),
    ("高端轴承", "34"),
    ("矿用液压支架", "35"),
    ("精密数控机床", "34"),
    ("工业无人机", "37"),
)
ELECTRONICS = (
    ("半导体封装测试", "39"),
    ("信创服务器", "39"),
    ("光电显示模组", "39"),
    ("LED外延芯片", "39"),
    ("5G通信设备", "39"),
    ("智能传感器", "40"),
    ("新型电子元器件", "39"),
    ("第三代半导体功率器件", "39"),
)
MEDICINE = (
    ("原料药", "27"),
    ("中药配方颗粒", "27"),
    ("生物疫苗", "27"),
    ("体外诊断试剂", "27"),
    ("高端医疗器械", "35"),
    ("医用敷料", "27"),
)
FOOD = (
    ("杂粮精深加工", "13"),
    ("老陈醋", "14"),
    ("清香型白酒", "15"),
    ("沙棘饮品", "15"),
    ("小米深加工", "13"),
    ("肉制品精深加工", "13"),
    ("乳制品", "14"),
    ("预制菜", "14"),
)
COAL_PRODUCTS = (
    ("焦化", "25"),
    ("煤焦油深加工", "25"),
    ("选煤", "06"),
    ("煤制甲醇", "26"),
)

INDUSTRIAL_CONTENT = (
    "项目总用地{mu}亩，总建筑面积{m2}平方米，主要建设生产车间、仓库、研发中心及配套设施，"
    "购置生产及检测设备{eq}台（套）。"
)
BUILDING_CONTENT = "项目总用地{mu}亩，总建筑面积{m2}平方米，主要建设主体建筑及室外配套工程。"
LINEAR_CONTENT = "线路全长{km}公里，同步建设附属设施及配套工程。"
AREA_CONTENT = "治理及建设面积{mu}亩，主要实施综合整治、配套设施及监测工程。"
RENOVATION_CONTENT = (
    "利用现有厂区，改造生产线{eq}条，新增及更新设备{eq2}台（套），实施智能化、节能降碳改造。"
)

FAMILIES = (
    Family(
        "materials",
        "industry",
        11,
        (8000, 800000),
        cross(
            (
                "年产{qty}万吨{item}项目",
                "年产{qty}万吨{item}项目",
                "{item}产业园项目",
                "{item}生产基地建设项目",
                "{item}产业化项目",
            ),
            MATERIALS,
            cost=2500,
            capacity="年产{qty}万吨{item}",
        ),
        "industrial",
        "building",
        ("{enterprise}",),
        ("新材料科技", "新材料", "材料科技", "科技"),
        ("gxj", "fgj", "swj"),
        renovation=MATERIALS,
        content=INDUSTRIAL_CONTENT,
    ),
    Family(
        "equipment",
        "industry",
        9,
        (6000, 500000),
        cross(
            (
                "年产{qty}台（套）{item}项目",
                "{item}智能制造基地项目",
                "{item}生产线建设项目",
                "{item}产业园项目",
            ),
            EQUIPMENT,
            cost=12,
            capacity="年产{qty}台（套）{item}",
        ),
        "industrial",
        "building",
        ("{enterprise}",),
        ("智能装备", "装备制造", "重工", "机械制造"),
        ("gxj", "fgj", "swj"),
        renovation=EQUIPMENT,
        content=INDUSTRIAL_CONTENT,
    ),
    Family(
        "electronics",
        "industry",
        6,
        (10000, 1200000),
        cross(
            ("{item}生产线建设项目", "{item}产业园项目", "{item}研发生产基地项目"),
            ELECTRONICS,
        )
        + cross(("年产{qty}万件{item}项目",), ELECTRONICS, cost=25, capacity="年产{qty}万件{item}"),
        "industrial",
        "building",
        ("{enterprise}",),
        ("电子科技", "半导体", "光电科技", "信息技术"),
        ("gxj", "fgj", "swj"),
        renovation=ELECTRONICS,
        content=INDUSTRIAL_CONTENT,
    ),
    Family(
        "energy",
        "industry",
        9,
        (10000, 900000),
        (
            Item("{qty}兆瓦光伏发电项目", "44", 380, "装机容量{qty}兆瓦"),
            Item("{qty}兆瓦农光互补光伏发电项目", "44", 420, "装机容量{qty}兆瓦"),
            Item("{qty}兆瓦风电项目", "44", 600, "装机容量{qty}兆瓦"),
            Item("{qty}兆瓦独立储能电站项目", "44", 180, "储能规模{qty}兆瓦"),
            Item("分布式光伏发电项目", "44", 0, "", (5000, 30000)),
            Item("抽水蓄能电站项目", "44", 0, "", (600000, 1200000), "city", weight=0.3),
            Item("热电联产项目", "44", 0, "", (80000, 400000)),
            Item("氢能产业园项目", "44"),
            Item("{qty}万吨/年绿色甲醇项目", "26", 3000, "年产绿色甲醇{qty}万吨"),
        ),
        "utilities",
        "area",
        ("{enterprise}",),
        ("新能源", "能源发展", "电力", "清洁能源"),
        ("fgj", "gxj"),
        content=AREA_CONTENT,
    ),
    Family(
        "coal",
        "industry",
        6,
        (8000, 600000),
        (
            Item("{trade}煤矿智能化改造项目", "06"),
            Item("{qty}万吨/年焦化升级改造项目", "25", 800, "年产焦炭{qty}万吨"),
            Item("{qty}万吨/年煤焦油深加工项目", "25", 2000, "年加工煤焦油{qty}万吨"),
            Item("{qty}万吨/年选煤厂建设项目", "06", 60, "年入洗原煤{qty}万吨"),
            Item("煤层气综合开发利用项目", "07"),
            Item("焦炉煤气制氢项目", "26"),
            Item("LNG储气调峰设施项目", "45"),
        ),
        "industrial",
        "building",
        ("{enterprise}",),
        ("煤业", "焦化", "能源化工", "化工"),
        ("gxj", "fgj"),
        renovation=COAL_PRODUCTS,
        content=INDUSTRIAL_CONTENT,
    ),
    Family(
        "medicine",
        "industry",
        4,
        (6000, 300000),
        cross(("{item}生产基地项目", "{item}产业化项目", "{item}研发生产一体化项目"), MEDICINE),
        "industrial",
        "building",
        ("{enterprise}",),
        ("生物医药", "药业", "生物科技", "医疗科技"),
        ("gxj", "fgj"),
        renovation=MEDICINE,
        content=INDUSTRIAL_CONTENT,
    ),
    Family(
        "food",
        "industry",
        5,
        (5000, 150000),
        cross(
            ("年产{qty}万吨{item}项目", "{item}产业园项目", "{item}生产基地项目"),
            FOOD,
            cost=1200,
            capacity="年产{qty}万吨{item}产品",
        ),
        "industrial",
        "building",
        ("{enterprise}",),
        ("食品", "农业科技", "酿造", "实业"),
        ("gxj", "fgj", "swj"),
        renovation=FOOD,
        content=INDUSTRIAL_CONTENT,
    ),
    Family(
        "digital",
        "industry",
        4,
        (10000, 600000),
        (
            Item("{place}大数据中心项目", "64"),
            Item("{qty}P智算中心项目", "64", 60, "算力规模{qty}P"),
            Item("{place}数字经济产业园项目", "65"),
            Item("{place}软件和信息技术服务产业园项目", "65"),
            Item("工业互联网平台建设项目", "65", 0, "", (5000, 30000)),
        ),
        "industrial",
        "building",
        ("{enterprise}",),
        ("数据科技", "信息技术", "数字科技", "云计算"),
        ("gxj", "fgj"),
        content=BUILDING_CONTENT,
    ),
    Family(
        "logistics",
        "industry",
        5,
        (6000, 300000),
        (
            Item("{place}智慧物流园项目", "59"),
            Item("{place}冷链物流中心项目", "59"),
            Item("{place}商贸综合体项目", "52"),
            Item("{place}电商物流产业园项目", "59"),
            Item("{place}农产品批发市场项目", "51"),
            Item("{place}铁路物流基地项目", "58"),
        ),
        "logistics",
        "building",
        ("{enterprise}", "{place}城市建设投资发展有限公司"),
        ("物流", "商贸", "供应链管理", "实业"),
        ("swj", "fgj"),
        productive=True,
        content=BUILDING_CONTENT,
    ),
    Family(
        "tourism",
        "industry",
        4,
        (5000, 500000),
        (
            Item("{scenic}景区提质升级项目", "78", scenic=True),
            Item("{scenic}文化旅游综合开发项目", "78", scenic=True),
            Item("{place}康养小镇项目", "85"),
            Item("{place}全域旅游综合开发项目", "78"),
            Item("{place}乡村旅游示范区项目", "78"),
            Item("{place}星级酒店项目", "61"),
        ),
        "commercial",
        "building",
        ("{enterprise}", "{place}文化旅游投资有限公司"),
        ("文化旅游发展", "文旅", "旅游开发", "康养"),
        ("fgj", "swj"),
        content=BUILDING_CONTENT,
    ),
    Family(
        "agriculture",
        "industry",
        4,
        (5000, 100000),
        (
            Item("{place}现代农业产业园项目", "01"),
            Item("{place}设施蔬菜基地项目", "01"),
            Item("{place}有机旱作农业示范区项目", "01"),
            Item("年出栏{qty}万头生猪养殖项目", "03", 1500, "年出栏生猪{qty}万头"),
            Item("{qty}头肉牛养殖基地项目", "03", 3, "存栏肉牛{qty}头"),
        ),
        "other",
        "area",
        ("{enterprise}",),
        ("农业开发", "牧业", "农业科技", "生态农业"),
        ("fgj",),
        content=AREA_CONTENT,
    ),
    Family(
        "transport",
        "infrastructure",
        6,
        (10000, 600000),
        (
            Item("{a}至{b}高速公路项目", "48", 0, "", (800000, 3000000), "province", weight=0.3),
            Item("国道{road}线{place}段改线工程", "48", 0, "", (20000, 300000)),
            Item("{place}城市快速路建设工程", "48", 0, "", (50000, 600000), "city"),
            Item("{place}城区道路提质改造工程", "48"),
            Item("{place}农村公路提档升级工程", "48", 0, "", (5000, 40000)),
            Item("{place}通用机场建设项目", "56", 0, "", (20000, 120000)),
            Item("{place}客运枢纽站建设项目", "54"),
            Item(
                "太原市城市轨道交通{line}号线工程",
                "48",
                0,
                "",
                (1500000, 3000000),
                "taiyuan",
                weight=0.1,
            ),
        ),
        "transport",
        "linear",
        ("{place}交通建设投资有限公司", "{place}城市建设投资发展有限公司"),
        departments=("jtj", "fgj"),
        productive=False,
        content=LINEAR_CONTENT,
        build_factor=1.4,
    ),
    Family(
        "water",
        "infrastructure",
        4,
        (5000, 200000),
        (
            Item("{place}城乡供水一体化工程", "46"),
            Item("{river}{place}段综合治理工程", "76"),
            Item("{place}水库除险加固工程", "76", 0, "", (5000, 40000)),
            Item("{place}污水处理厂提标改造工程", "46"),
            Item("{place}再生水利用工程", "46"),
            Item("{place}供水管网改造工程", "46"),
        ),
        "utilities",
        "linear",
        ("{place}水务投资有限公司", "{place}水利局"),
        departments=("slj", "zjj", "fgj"),
        productive=False,
        content=LINEAR_CONTENT,
    ),
    Family(
        "utilities",
        "infrastructure",
        4,
        (5000, 300000),
        (
            Item("{place}集中供热管网改造工程", "44"),
            Item("{place}城市燃气管网更新改造工程", "45"),
            Item("{place}城市地下综合管廊项目", "48", 0, "", (50000, 400000), "city"),
            Item("{place}220千伏输变电工程", "44", 0, "", (8000, 40000)),
            Item("{place}500千伏输变电工程", "44", 0, "", (80000, 300000), "city"),
            Item("{place}5G网络建设项目", "63"),
            Item("{place}充电基础设施建设项目", "44", 0, "", (5000, 30000)),
        ),
        "utilities",
        "linear",
        ("{place}城市建设投资发展有限公司", "{place}住房和城乡建设局"),
        departments=("zjj", "fgj"),
        productive=False,
        content=LINEAR_CONTENT,
    ),
    Family(
        "livelihood",
        "livelihood",
        6,
        (5000, 300000),
        (
            Item("{place}{year}年城镇老旧小区改造项目", "47", 0, "", (5000, 60000)),
            Item("{place}城中村改造项目", "70"),
            Item("{place}保障性租赁住房项目", "70"),
            Item("{place}人民医院新院区建设项目", "84"),
            Item("{place}中医医院综合楼建设项目", "84", 0, "", (5000, 60000)),
            Item("{place}养老服务中心建设项目", "85", 0, "", (5000, 30000)),
            Item("{place}第{n}中学新建工程", "83", 0, "", (5000, 60000)),
            Item("{place}农贸市场提质改造项目", "52", 0, "", (5000, 20000)),
        ),
        "residential",
        "building",
        ("{place}住房和城乡建设局", "{place}城市建设投资发展有限公司", "{place}人民政府"),
        departments=("zjj", "fgj"),
        productive=False,
        content=BUILDING_CONTENT,
    ),
    Family(
        "social",
        "social",
        3,
        (5000, 200000),
        (
            Item("{place}全民健身中心项目", "89"),
            Item("{place}文化艺术中心项目", "88"),
            Item("{place}图书馆新馆建设项目", "88"),
            Item("{place}职业技术学校新校区建设项目", "83"),
            Item("{place}疾病预防控制中心建设项目", "84", 0, "", (5000, 40000)),
            Item("{place}博物馆建设项目", "88"),
        ),
        "public",
        "building",
        ("{place}人民政府", "{place}城市建设投资发展有限公司"),
        departments=("fgj", "zjj"),
        productive=False,
        content=BUILDING_CONTENT,
    ),
    Family(
        "ecology",
        "ecology",
        4,
        (5000, 300000),
        (
            Item("{river}{place}段生态修复工程", "77"),
            Item("{place}矿山生态修复治理项目", "77"),
            Item("{place}生活垃圾焚烧发电项目", "44", 0, "", (20000, 120000)),
            Item("{place}工业固废综合利用项目", "42"),
            Item("{place}煤矸石综合利用项目", "42"),
            Item("{place}国土绿化示范项目", "02", 0, "", (5000, 30000)),
            Item("{place}土壤污染治理与修复项目", "77"),
        ),
        "other",
        "area",
        ("{place}生态环境投资有限公司", "{place}城市建设投资发展有限公司", "{enterprise}"),
        ("环保科技", "环境工程", "再生资源"),
        departments=("sthj", "fgj"),
        productive=False,
        content=AREA_CONTENT,
    ),
)

RENOVATION_PATTERNS = (
    "{item}生产线技术改造项目",
    "{item}智能化改造项目",
    "{item}节能降碳技术改造项目",
    "{item}扩能改造项目",
)
