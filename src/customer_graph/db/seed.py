"""Realistic demo data: customers with everything that hangs off them, fast and repeatable.

Rows are built as plain dicts from one ``random.Random(seed)`` and written with Core
``executemany`` in batches. Primary keys are assigned here (after the highest existing id),
so children reference parents without a round trip; on PostgreSQL the id sequences are
moved past them in the same transaction. The same ``(customers, seed, today)`` on an empty
database gives the same rows on SQLite and PostgreSQL.

Every date is placed relative to ``today`` (so projects have a real mix of upcoming, active
and past ones, contracts that are active really are current, and so on); pass ``today`` to
pin the data completely.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
import time as clock
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

import customer_graph.db.models  # noqa: F401  (registers every table on Base.metadata)
from customer_graph.db.base import Base
from customer_graph.db.counters import raise_counter
from customer_graph.db.enums import (
    AssetStatus,
    ContractStatus,
    CustomerKind,
    CustomerSegment,
    CustomerStatus,
    HistoryAction,
    InvoiceStatus,
    LeaseRatePeriod,
    OpportunityStage,
    OrderStatus,
    PaymentTerms,
    ProjectStatus,
    Role,
    SiteStatus,
    TaskStatus,
    TicketPriority,
    TicketStatus,
    WorkOrderStatus,
)

BATCH_SIZE = 500
"""Customers per transaction: large enough for fast executemany, small enough for progress."""

Row = dict[str, Any]
T = TypeVar("T")

# Parents before children, so foreign keys hold at every statement.
INSERT_ORDER = (
    "customers",
    "customer_tags",
    "contacts",
    "sites",
    "projects",
    "assets",
    "contracts",
    "work_orders",
    "tasks",
    "leases",
    "opportunities",
    "orders",
    "invoices",
    "support_tickets",
    "price_schedules",
    "history_events",
)
TABLES_WITH_ID = tuple(name for name in INSERT_ORDER if name != "customer_tags")

# (table, column, prefix): unique numbers continue after the highest existing one.
NUMBERED = {
    "customer": ("customers", "customer_number", "C-"),
    "contract": ("contracts", "number", "CT-"),
    "work_order": ("work_orders", "number", "WO-"),
    "order": ("orders", "number", "SO-"),
    "invoice": ("invoices", "number", "INV-"),
}
SERIAL_PATTERN = re.compile(r"^[A-Z]{2,4}-(\d+)$")


@dataclass(frozen=True)
class SeedSummary:
    users: int
    """Users created (only when there were none)."""
    customers: int
    rows: int
    """Every row inserted, in every table, users included."""
    seconds: float


@dataclass(frozen=True)
class _Staff:
    id: int
    name: str
    email: str
    role: Role


class _Weighted(Generic[T]):
    """A weighted choice that costs one ``random()`` and one bisect."""

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items = list(pairs)
        self.values = [value for value, _ in items]
        self.cumulative = list(itertools.accumulate(weight for _, weight in items))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


# --- vocabulary -------------------------------------------------------------------------

FIRST_NAMES = (
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
    "Mia", "Mateo", "Amelia", "Benjamin", "Harper", "Henry", "Evelyn", "Daniel", "Abigail",
    "Michael", "Emily", "Samuel", "Ella", "David", "Grace", "Joseph", "Chloe", "Carlos",
    "Priya", "Arjun", "Mei", "Hiroshi", "Fatima", "Omar", "Aisha", "Kwame", "Ingrid", "Lars",
    "Sofia", "Marco", "Chiara", "Lukas", "Hannah", "Jonas", "Léa", "Hugo", "Camille", "Sven",
    "Niamh", "Sean", "Aoife", "Lucia", "Javier", "Elena", "Tomás", "Yusuf", "Zara", "Nora",
    "Victor", "Ruth",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
    "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
    "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Patel",
    "Nguyen", "Kim", "Chen", "Singh", "Okafor", "Müller", "Schmidt", "Schneider", "Fischer",
    "Weber", "Dubois", "Moreau", "Laurent", "Rossi", "Bianchi", "Romano", "Jansen", "de Vries",
    "Bakker", "Murphy", "Kelly", "O'Brien", "Fernández", "González", "Sánchez", "Lindqvist",
    "Novak", "Kowalski", "Haddad", "Costa", "Sato",
)  # fmt: skip
NAME_PREFIXES = (
    "Acme", "Apex", "Atlas", "Beacon", "Blue River", "Brightline", "Cedar", "Crescent",
    "Evergreen", "Falcon", "Granite", "Harbor", "Horizon", "Ironclad", "Keystone", "Lakeside",
    "Maple", "Meridian", "Northwind", "Orion", "Pinnacle", "Pioneer", "Quantum", "Redwood",
    "Riverside", "Silver Oak", "Sterling", "Summit", "Titan", "Vertex", "Westfield", "Zenith",
    "Bluebird", "Copperleaf", "Driftwood", "Eastgate", "Foxglove", "Goldcrest", "Highland",
    "Juniper", "Kingsbridge", "Lighthouse", "Moonstone", "Nimbus", "Oakridge", "Polaris",
    "Silverline", "Tidewater", "Union", "Windmill",
)  # fmt: skip
INDUSTRIES = (
    "Logistics", "Manufacturing", "Foods", "Energy", "Health", "Systems", "Robotics",
    "Analytics", "Construction", "Retail", "Pharma", "Textiles", "Motors", "Solutions",
    "Software", "Labs", "Dental", "Hotels", "Farms", "Printing", "Plastics", "Brewing",
    "Engineering", "Packaging", "Medical", "Aerospace", "Marine", "Furniture", "Security",
    "Telecom", "Facilities", "Cold Storage", "Bakeries", "Clinics", "Hospitality", "Metals",
)  # fmt: skip
COMPANY_SUFFIXES = {
    "US": ("Inc.", "LLC", "Corp.", "Co.", "Group"),
    "GB": ("Ltd", "PLC", "Group"),
    "IE": ("Ltd", "DAC"),
    "DE": ("GmbH", "AG", "KG"),
    "FR": ("SA", "SARL", "SAS"),
    "NL": ("B.V.", "N.V."),
    "ES": ("S.L.", "S.A."),
    "IT": ("S.r.l.", "S.p.A."),
}
JOB_TITLES = (
    "CEO", "CFO", "COO", "Owner", "Managing Director", "Operations Director",
    "Facilities Manager", "Purchasing Manager", "Procurement Lead", "Office Manager",
    "IT Manager", "Plant Manager", "Accounts Payable Clerk", "Finance Manager",
    "Maintenance Supervisor", "Head of Operations", "Site Manager", "Buyer",
)  # fmt: skip

# country: (weight, currency, phone prefix, cities as (city, region, postal prefix))
COUNTRIES: dict[str, tuple[float, str, str, tuple[tuple[str, str, str], ...]]] = {
    "US": (70, "USD", "+1", (
        ("Austin", "TX", "787"), ("Denver", "CO", "802"), ("Seattle", "WA", "981"),
        ("Chicago", "IL", "606"), ("Boston", "MA", "021"), ("Atlanta", "GA", "303"),
        ("Portland", "OR", "972"), ("Phoenix", "AZ", "850"), ("Columbus", "OH", "432"),
        ("Raleigh", "NC", "276"), ("San Diego", "CA", "921"), ("Minneapolis", "MN", "554"),
        ("Nashville", "TN", "372"), ("Pittsburgh", "PA", "152"), ("Salt Lake City", "UT", "841"),
        ("Tampa", "FL", "336"), ("Kansas City", "MO", "641"), ("Madison", "WI", "537"),
    )),
    "GB": (10, "GBP", "+44", (
        ("London", "England", "EC1A"), ("Manchester", "England", "M1"),
        ("Edinburgh", "Scotland", "EH1"), ("Bristol", "England", "BS1"),
        ("Leeds", "England", "LS1"), ("Cardiff", "Wales", "CF10"),
        ("Belfast", "Northern Ireland", "BT1"),
    )),
    "DE": (6, "EUR", "+49", (
        ("Berlin", "Berlin", "10"), ("Munich", "Bavaria", "80"), ("Hamburg", "Hamburg", "20"),
        ("Cologne", "North Rhine-Westphalia", "50"), ("Frankfurt", "Hesse", "60"),
        ("Stuttgart", "Baden-Württemberg", "70"),
    )),
    "FR": (4, "EUR", "+33", (
        ("Paris", "Île-de-France", "750"), ("Lyon", "Auvergne-Rhône-Alpes", "690"),
        ("Toulouse", "Occitanie", "310"), ("Nantes", "Pays de la Loire", "440"),
    )),
    "NL": (4, "EUR", "+31", (
        ("Amsterdam", "North Holland", "10"), ("Rotterdam", "South Holland", "30"),
        ("Utrecht", "Utrecht", "35"), ("Eindhoven", "North Brabant", "56"),
    )),
    "IE": (2, "EUR", "+353", (("Dublin", "Leinster", "D02"), ("Cork", "Munster", "T12"))),
    "ES": (2, "EUR", "+34", (
        ("Madrid", "Community of Madrid", "280"), ("Barcelona", "Catalonia", "080"),
        ("Valencia", "Valencian Community", "460"),
    )),
    "IT": (2, "EUR", "+39", (
        ("Milan", "Lombardy", "201"), ("Rome", "Lazio", "001"), ("Turin", "Piedmont", "101"),
    )),
}  # fmt: skip
STREET_NAMES = {
    "en": ("Main", "Oak", "Maple", "Market", "Mill", "Church", "High", "Park", "Lake", "Cedar",
           "Elm", "Washington", "Station", "King", "Queen", "Bridge", "Harbour", "River", "Hill"),
    "DE": ("Haupt", "Bahnhof", "Garten", "Schiller", "Goethe", "Linden", "Berg", "Kirch"),
    "FR": ("de la Paix", "Victor Hugo", "du Commerce", "Pasteur", "de la République", "Nationale"),
    "NL": ("Kerk", "Dorps", "Molen", "School", "Stations", "Haven"),
    "ES": ("Mayor", "Real", "del Sol", "de Alcalá", "Gran Vía", "del Mar"),
    "IT": ("Roma", "Garibaldi", "Dante", "Verdi", "Mazzini", "Cavour"),
}  # fmt: skip
POSTCODE_LETTERS = "ABDEFGHJLNPRSTUWXY"
STREET_TYPES = ("Street", "Avenue", "Road", "Lane", "Boulevard", "Drive", "Way", "Court")
STREET2 = ("Suite 100", "Suite 210", "Floor 3", "Unit 5B", "Building C", "2nd Floor", "Dock 4")

TAGS = (
    "VIP", "Partner", "Public", "Reseller", "Key account", "Referral", "Priority support",
    "Churn risk", "Newsletter",
)  # fmt: skip
DESCRIPTIONS = (
    "Regional {industry} business with several locations.",
    "Long-standing {industry} customer; buys maintenance plans and spare parts.",
    "Fast-growing {industry} company expanding into new sites this year.",
    "Family-owned {industry} firm, decisions made by the owner.",
    "{industry} group with central purchasing and strict invoicing rules.",
    "Mid-sized {industry} operation; uses us for field service and equipment leases.",
)
INDIVIDUAL_DESCRIPTIONS = (
    "Private customer, home equipment service.",
    "Independent consultant renting equipment for client projects.",
    "Sole trader; pays by card on receipt.",
)
NOTES = (
    "Prefers email over phone.",
    "Invoices must quote the PO number.",
    "Loading dock access via the rear entrance; call ahead.",
    "Renewal discussion planned for next quarter.",
    "Asked for a consolidated monthly invoice.",
    "Site visits only between 8am and 4pm.",
    "Interested in remote monitoring; send a demo.",
    "Key contact changes jobs often; confirm before quoting.",
)
SITE_NAMES = (
    "{city} Office",
    "{city} Warehouse",
    "{city} Plant",
    "Distribution Center {n}",
    "Branch {n}",
    "Service Depot {n}",
    "{city} Store",
    "Data Center {n}",
    "Lab {n}",
)
PROJECT_NAMES = (
    "HVAC retrofit", "Network upgrade", "Office relocation", "Solar installation",
    "Annual maintenance", "ERP rollout", "Fleet renewal", "Security audit",
    "Warehouse automation", "LED lighting upgrade", "Cold room expansion", "Fire safety refit",
    "Generator replacement", "Remote monitoring pilot", "Building management system",
)  # fmt: skip
ASSET_MODELS = (
    ("Rooftop HVAC unit", "HVX"), ("Air compressor", "CMP"), ("Forklift", "FLT"),
    ("Diesel generator 50 kW", "GEN"), ("Chiller", "CHL"), ("Passenger elevator", "ELV"),
    ("UPS 10 kVA", "UPS"), ("Industrial printer", "PRN"), ("Gas boiler", "BLR"),
    ("Security camera", "CAM"), ("Solar inverter", "INV"), ("Network switch", "NSW"),
    ("Walk-in freezer", "FRZ"), ("Conveyor line", "CNV"), ("Pallet wrapper", "PWR"),
)  # fmt: skip
WORK_ORDER_TITLES = (
    "Quarterly maintenance", "Replace filters", "Install new unit", "Inspect fire extinguishers",
    "Repair conveyor belt", "Calibrate sensors", "Network cabling", "Emergency repair",
    "Annual safety inspection", "Replace batteries", "Commission equipment", "Decommission unit",
)  # fmt: skip
WORK_DESCRIPTIONS = (
    "Reported by the site contact; bring spare parts.",
    "Recurring visit under the maintenance plan.",
    "Customer reports intermittent fault since last week.",
    "Access badge needed; ask reception.",
)
TASK_TITLES = (
    "Confirm site access", "Order parts", "Safety briefing", "Perform work", "Test and verify",
    "Customer sign-off", "Clean up", "Update asset records", "Photograph installation",
)  # fmt: skip
OPPORTUNITY_NAMES = (
    "Maintenance plan renewal", "Fleet expansion", "Upgrade to premium support",
    "New site rollout", "Equipment replacement", "Energy efficiency package",
    "Remote monitoring add-on", "Multi-year service contract", "Spare parts stock agreement",
)  # fmt: skip
TICKET_SUBJECTS = (
    "Cannot sign in to the portal", "Invoice amount looks wrong", "Unit not cooling",
    "Request for a maintenance visit", "Please update our billing address",
    "Question about contract renewal", "Equipment making a loud noise", "Delivery delayed",
    "Technician did not arrive", "Report export fails", "Need a copy of last invoice",
    "Alarm keeps going off overnight",
)  # fmt: skip
PRODUCTS = (
    ("SVC-PM-STD", "Preventive maintenance plan, standard", 120000),
    ("SVC-PM-PRM", "Preventive maintenance plan, premium", 240000),
    ("HW-FLT-20", "Air filter 20x20", 1850),
    ("LAB-HR", "Technician labour, per hour", 9500),
    ("LAB-HR-OT", "Technician labour, overtime hour", 14000),
    ("SW-MON-DEV", "Remote monitoring, per device per month", 1200),
    ("HW-SENS-T", "Temperature sensor", 4500),
    ("SVC-CAL", "Calibration visit", 35000),
    ("EQ-RENT-GEN", "Generator rental, per day", 22000),
    ("SVC-EMG", "Emergency call-out", 25000),
)
CURRENCY_RATE = {"USD": Decimal(1), "EUR": Decimal("0.92"), "GBP": Decimal("0.79")}
TERM_DAYS = {
    PaymentTerms.DUE_ON_RECEIPT: 0,
    PaymentTerms.NET_15: 15,
    PaymentTerms.NET_30: 30,
    PaymentTerms.NET_45: 45,
    PaymentTerms.NET_60: 60,
    PaymentTerms.NET_90: 90,
}

DEMO_USERS = (
    ("admin@example.com", "Morgan Admin", Role.ADMIN),
    ("manager@example.com", "Dana Whitfield", Role.SALES_MANAGER),
    ("rep@example.com", "Riley Carter", Role.SALES_REP),
    ("support@example.com", "Sam Ortiz", Role.SUPPORT),
    ("jordan.blake@example.com", "Jordan Blake", Role.SALES_MANAGER),
    ("casey.nguyen@example.com", "Casey Nguyen", Role.SALES_REP),
    ("taylor.brooks@example.com", "Taylor Brooks", Role.SALES_REP),
    ("jamie.fischer@example.com", "Jamie Fischer", Role.SALES_REP),
    ("avery.patel@example.com", "Avery Patel", Role.SALES_REP),
    ("quinn.okafor@example.com", "Quinn Okafor", Role.SALES_MANAGER),
)
FAVOURED_EMAIL = "rep@example.com"
"""The demo sales rep signs in to see customers of their own, so it gets a large share."""

KINDS = _Weighted([(CustomerKind.COMPANY, 85), (CustomerKind.INDIVIDUAL, 15)])
SEGMENTS = _Weighted(
    [(CustomerSegment.ENTERPRISE, 20), (CustomerSegment.SMB, 55), (CustomerSegment.STARTUP, 25)]
)
TERMS = _Weighted(
    [
        (PaymentTerms.DUE_ON_RECEIPT, 8),
        (PaymentTerms.NET_15, 12),
        (PaymentTerms.NET_30, 50),
        (PaymentTerms.NET_45, 12),
        (PaymentTerms.NET_60, 12),
        (PaymentTerms.NET_90, 6),
    ]
)
COUNTRY_PICK = _Weighted([(code, spec[0]) for code, spec in COUNTRIES.items()])
TAG_COUNT = _Weighted([(0, 30), (1, 30), (2, 22), (3, 12), (4, 6)])
ASSET_STATUSES = _Weighted(
    [
        (AssetStatus.IN_SERVICE, 75),
        (AssetStatus.IN_REPAIR, 10),
        (AssetStatus.OUT_OF_SERVICE, 7),
        (AssetStatus.RETIRED, 8),
    ]
)
STAGES = _Weighted(
    [
        (OpportunityStage.PROSPECTING, 15),
        (OpportunityStage.QUALIFICATION, 15),
        (OpportunityStage.PROPOSAL, 15),
        (OpportunityStage.NEGOTIATION, 10),
        (OpportunityStage.WON, 25),
        (OpportunityStage.LOST, 20),
    ]
)
TICKET_STATUSES = _Weighted(
    [
        (TicketStatus.OPEN, 20),
        (TicketStatus.PENDING, 15),
        (TicketStatus.RESOLVED, 25),
        (TicketStatus.CLOSED, 40),
    ]
)
PRIORITIES = _Weighted(
    [
        (TicketPriority.LOW, 25),
        (TicketPriority.NORMAL, 50),
        (TicketPriority.HIGH, 18),
        (TicketPriority.URGENT, 7),
    ]
)
ACTIVE_PROJECT_STATUSES = _Weighted(
    [(ProjectStatus.ACTIVE, 80), (ProjectStatus.ON_HOLD, 10), (ProjectStatus.PLANNED, 10)]
)
PAST_PROJECT_STATUSES = _Weighted(
    # ACTIVE here is a project still marked active after its end date: it counts as past.
    [(ProjectStatus.COMPLETED, 70), (ProjectStatus.CANCELLED, 20), (ProjectStatus.ACTIVE, 10)]
)
WORK_AT_ACTIVE_SITE = _Weighted(
    [
        (WorkOrderStatus.OPEN, 25),
        (WorkOrderStatus.IN_PROGRESS, 15),
        (WorkOrderStatus.DONE, 50),
        (WorkOrderStatus.CANCELLED, 10),
    ]
)
WORK_AT_INACTIVE_SITE = _Weighted([(WorkOrderStatus.DONE, 80), (WorkOrderStatus.CANCELLED, 20)])
TASKS_OF_WORK = {
    WorkOrderStatus.OPEN: _Weighted([(TaskStatus.OPEN, 1)]),
    WorkOrderStatus.IN_PROGRESS: _Weighted(
        [(TaskStatus.DONE, 4), (TaskStatus.IN_PROGRESS, 3), (TaskStatus.OPEN, 3)]
    ),
    WorkOrderStatus.DONE: _Weighted([(TaskStatus.DONE, 9), (TaskStatus.CANCELLED, 1)]),
    WorkOrderStatus.CANCELLED: _Weighted([(TaskStatus.CANCELLED, 8), (TaskStatus.DONE, 2)]),
}
LEASE_PERIODS = _Weighted(
    [(LeaseRatePeriod.MONTHLY, 60), (LeaseRatePeriod.QUARTERLY, 20), (LeaseRatePeriod.YEARLY, 20)]
)
PERIOD_MONTHS = {
    LeaseRatePeriod.MONTHLY: 1,
    LeaseRatePeriod.QUARTERLY: 3,
    LeaseRatePeriod.YEARLY: 12,
}
LEASE_COUNT = _Weighted([(0, 55), (1, 30), (2, 15)])
TICKET_COUNT = _Weighted([(0, 30), (1, 30), (2, 20), (3, 12), (4, 8)])
PRICE_COUNT = _Weighted([(0, 40), (1, 30), (2, 20), (3, 10)])
# (min, max) counts by segment for the bigger collections
SIZE = {
    CustomerSegment.ENTERPRISE: {"contacts": (2, 5), "sites": (2, 4), "assets": (3, 6)},
    CustomerSegment.SMB: {"contacts": (1, 4), "sites": (1, 3), "assets": (1, 5)},
    CustomerSegment.STARTUP: {"contacts": (1, 3), "sites": (1, 2), "assets": (1, 3)},
}
VALUE_SCALE = {CustomerSegment.ENTERPRISE: 5, CustomerSegment.SMB: 1, CustomerSegment.STARTUP: 1}
LIVE_CONTRACTS = (ContractStatus.DRAFT, ContractStatus.ACTIVE)
"""What a deactivation cancels; an expired contract stays expired."""
OPEN_WORK = (WorkOrderStatus.OPEN, WorkOrderStatus.IN_PROGRESS)
OPEN_TASKS = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


def _slug(words: str) -> str:
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return "-".join(re.sub(r"[^a-z0-9 ]", "", ascii_words.lower()).split())


def _email(first: str, last: str, domain: str) -> str:
    return f"{_slug(first)}.{_slug(last).replace('-', '')}@{domain}"


def _cents(amount: int) -> Decimal:
    return Decimal(amount) / 100


# --- database state -----------------------------------------------------------------------


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


async def _ensure_users(conn: AsyncConnection, today: date) -> int:
    """Create the demo users when there are none; returns how many were created."""
    users = _table("users")
    if (await conn.execute(select(func.count()).select_from(users))).scalar_one():
        return 0
    created_at = datetime(today.year, today.month, today.day, 9, tzinfo=UTC) - timedelta(days=730)
    rows = [
        {
            "id": index + 1,
            "email": email,
            "name": name,
            "role": role,
            "password_hash": None,
            "is_active": True,
            "created_at": created_at + timedelta(minutes=index),
        }
        for index, (email, name, role) in enumerate(DEMO_USERS)
    ]
    await conn.execute(users.insert(), rows)
    await _reset_sequences(conn, ["users"])
    return len(rows)


async def _load_staff(conn: AsyncConnection) -> list[_Staff]:
    """Active users who may own or manage customers; failing that, any user at all."""
    users = _table("users")
    query = select(
        users.c.id, users.c.name, users.c.email, users.c.role, users.c.is_active
    ).order_by(users.c.id)
    rows = (await conn.execute(query)).all()
    everyone = [_Staff(row.id, row.name, row.email, row.role) for row in rows]
    eligible = [
        staff
        for staff, row in zip(everyone, rows, strict=True)
        if row.is_active and staff.role in (Role.ADMIN, Role.SALES_MANAGER, Role.SALES_REP)
    ]
    return eligible or everyone


async def _next_ids(conn: AsyncConnection) -> dict[str, int]:
    next_ids = {}
    for name in TABLES_WITH_ID:
        table = _table(name)
        highest = (await conn.execute(select(func.max(table.c.id)))).scalar()
        next_ids[name] = int(highest or 0) + 1
    return next_ids


async def _next_number(
    conn: AsyncConnection, table_name: str, column_name: str, prefix: str
) -> int:
    column = _table(table_name).c[column_name]
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    highest = 0
    for (value,) in await conn.execute(select(column).where(column.like(f"{prefix}%"))):
        match = pattern.match(value)
        if match:
            highest = max(highest, int(match.group(1)))
    return highest + 1


async def _next_serial(conn: AsyncConnection) -> int:
    column = _table("assets").c.serial_number
    highest = 0
    for (value,) in await conn.execute(select(column).where(column.is_not(None))):
        match = SERIAL_PATTERN.match(value)
        if match:
            highest = max(highest, int(match.group(1)))
    return highest + 1


async def _reset_sequences(conn: AsyncConnection, names: Iterable[str]) -> None:
    """Move PostgreSQL's id sequences past the ids assigned here, so later inserts work."""
    if conn.dialect.name != "postgresql":
        return
    for name in names:
        await conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) "
                f"FROM {name} HAVING max(id) IS NOT NULL"
            )
        )


# --- generation ---------------------------------------------------------------------------


class _Generator:
    """Builds the rows of a batch of customers; keeps ids and numbers across batches."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        staff: Sequence[_Staff],
        next_ids: dict[str, int],
        next_numbers: dict[str, int],
    ) -> None:
        self.rng = rng
        self.today = today
        self.yesterday = today - timedelta(days=1)
        self.ids = dict(next_ids)
        self.numbers = dict(next_numbers)
        self.staff = list(staff)
        reps = [s for s in staff if s.role is Role.SALES_REP] or self.staff
        managers = [s for s in staff if s.role is Role.SALES_MANAGER] or self.staff
        favoured = [s for s in staff if s.email == FAVOURED_EMAIL]
        self.owners = _Weighted(
            [(s, 7 / len(reps)) for s in reps]
            + [(s, 3 / len(managers)) for s in managers]
            + [(s, 3.0) for s in favoured]
        )
        self.managers = _Weighted([(s, 1.0) for s in managers])
        self.foreign_sites: list[int] = []
        """Sites of customers generated earlier, where other customers' assets may stand."""
        self.rows: dict[str, list[Row]] = {}
        self.index = 0
        self.block_inactive: set[int] = set()
        self.block_archived = -1

    # small helpers

    def _int(self, low: int, high: int) -> int:
        """Like ``randint``, at a fraction of its cost (it is called millions of times)."""
        return low + int(self.rng.random() * (high - low + 1))

    def _choice(self, values: Sequence[T]) -> T:
        return values[int(self.rng.random() * len(values))]

    def _id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _number(self, kind: str) -> str:
        value = self.numbers[kind]
        self.numbers[kind] = value + 1
        return f"{NUMBERED[kind][2]}{value:06d}"

    def _add(self, table: str, row: Row) -> None:
        self.rows[table].append(row)

    def _day(self, lo: date, hi: date) -> date:
        span = (hi - lo).days
        return lo if span <= 0 else lo + timedelta(days=self._int(0, span))

    def _moment(self, day: date) -> datetime:
        seconds = self._int(7 * 3600, 19 * 3600)
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)

    def _moment_between(self, lo: datetime, hi_day: date) -> datetime:
        """A moment no earlier than ``lo`` on a day up to ``hi_day`` (never in the future)."""
        moment = self._moment(self._day(lo.date(), min(hi_day, self.yesterday)))
        return max(moment, lo)

    def _person(self) -> tuple[str, str]:
        first = self._choice(FIRST_NAMES)
        last = self._choice(LAST_NAMES)
        return first, last

    def _phone(self, country: str) -> str:
        r = self._int
        prefix = COUNTRIES[country][2]
        if country == "US":
            return f"+1 {r(201, 989)}-555-{r(100, 199):04d}"
        if country == "GB":
            return f"+44 20 7946 {r(0, 999):04d}"
        return f"{prefix} {r(10, 99)} {r(100, 999)} {r(1000, 9999)}"

    def _letters(self, count: int) -> str:
        return "".join(self._choice(POSTCODE_LETTERS) for _ in range(count))

    def _address(self, country: str, city_spec: tuple[str, str, str] | None = None) -> Row:
        rng = self.rng
        city, region, postal = city_spec or self._choice(COUNTRIES[country][3])
        number = self._int(1, 2400 if country == "US" else 180)
        if country in ("US", "GB", "IE"):
            street = f"{number} {self._choice(STREET_NAMES['en'])} {self._choice(STREET_TYPES)}"
        elif country == "DE":
            street = f"{self._choice(STREET_NAMES['DE'])}straße {number}"
        elif country == "FR":
            street = f"{number} rue {self._choice(STREET_NAMES['FR'])}"
        elif country == "NL":
            street = f"{self._choice(STREET_NAMES['NL'])}straat {number}"
        elif country == "ES":
            street = f"Calle {self._choice(STREET_NAMES['ES'])} {number}"
        else:
            street = f"Via {self._choice(STREET_NAMES['IT'])} {number}"
        if country == "US":
            code = f"{postal}{self._int(0, 99):02d}"
        elif country == "GB":
            code = f"{postal} {self._int(1, 9)}{self._letters(2)}"
        elif country == "IE":
            code = f"{postal} {self._letters(1)}{self._int(100, 999)}"
        elif country == "NL":
            code = f"{postal}{self._int(10, 99)} {self._letters(2)}"
        else:
            code = f"{postal}{self._int(0, 10 ** (5 - len(postal)) - 1):0{5 - len(postal)}d}"
        return {
            "street1": street,
            "street2": self._choice(STREET2) if rng.random() < 0.2 else None,
            "city": city,
            "region": region,
            "postal_code": code,
            "country": country,
        }

    def _money(self, low: int, high: int, scale: int, currency: str) -> Decimal:
        """A round-ish amount between ``low`` and ``high`` whole units, in ``currency``."""
        units = self._int(low, high) * scale
        amount = (Decimal(units) * CURRENCY_RATE[currency]).quantize(Decimal(10))
        return max(amount, Decimal(10))

    # the customer and its rows

    def batch(self, count: int) -> dict[str, list[Row]]:
        self.rows = {name: [] for name in INSERT_ORDER}
        for _ in range(count):
            self._customer()
        return self.rows

    def _status_and_archive(self) -> tuple[CustomerStatus, bool]:
        """Two inactive and one archived in every block of twenty customers (one inactive in
        each half), so that even a small demo has some of each."""
        position = self.index % 20
        if position == 0:
            self.block_inactive = {self.rng.randrange(10), 10 + self.rng.randrange(10)}
            self.block_archived = self.rng.randrange(20)
        self.index += 1
        inactive = position in self.block_inactive
        return (
            CustomerStatus.INACTIVE if inactive else CustomerStatus.ACTIVE,
            position == self.block_archived,
        )

    def _customer(self) -> None:
        rng = self.rng
        today = self.today
        customer_id = self._id("customers")
        number = self._number("customer")
        status, archived = self._status_and_archive()
        active = status is CustomerStatus.ACTIVE
        kind = KINDS.pick(rng)
        segment = CustomerSegment.SMB if kind is CustomerKind.INDIVIDUAL else SEGMENTS.pick(rng)
        country = COUNTRY_PICK.pick(rng)
        currency = COUNTRIES[country][1]
        if kind is CustomerKind.COMPANY and rng.random() < 0.08:
            currency = "USD"
        city_spec = self._choice(COUNTRIES[country][3])
        address = self._address(country, city_spec)
        industry = self._choice(INDUSTRIES)

        description: str | None
        contact_people = [self._person() for _ in range(self._contact_count(kind, segment))]
        if kind is CustomerKind.COMPANY:
            name = self._company_name(country, industry)
            domain = f"{_slug(name.split(' ')[0] + ' ' + industry)}.example"
            description = self._choice(DESCRIPTIONS).format(industry=industry.lower())
            description = description[0].upper() + description[1:]
        else:
            first, last = contact_people[0]
            name = f"{first} {last}"
            domain = "mail.example"
            description = self._choice(INDIVIDUAL_DESCRIPTIONS) if rng.random() < 0.6 else None

        created_on = today - timedelta(days=self._int(20, 5 * 365))
        created_at = self._moment(created_on)
        updated_at = self._moment_between(created_at, today)
        owner = self.owners.pick(rng)
        manager = self.managers.pick(rng)
        if manager.id == owner.id and len(self.staff) > 1:
            manager = self.managers.pick(rng)

        contacts = self._contacts(customer_id, kind, contact_people, domain, country, created_at)
        primary = contacts[0]
        billing = self._billing(kind, name, primary, domain, country, address)
        terms = TERMS.pick(rng)
        self._add(
            "customers",
            {
                "id": customer_id,
                "customer_number": number,
                "name": name,
                "kind": kind,
                "segment": segment,
                "description": description,
                "status": status,
                "archived_at": self._moment_between(created_at, today) if archived else None,
                "email": primary["email"],
                "phone": primary["phone"],
                "contact_title": primary["title"],
                **address,
                **billing,
                "payment_terms": terms,
                "currency": currency,
                "shared_folder_url": (
                    f"https://files.example.com/customers/{number}" if rng.random() < 0.6 else None
                ),
                "notes": " ".join(rng.sample(NOTES, self._int(1, 2)))
                if rng.random() < 0.45
                else None,
                "vat_id": (
                    self._vat_id(country)
                    if country != "US" and kind is CustomerKind.COMPANY and rng.random() < 0.7
                    else None
                ),
                "tax_id": (
                    f"{self._int(10, 99)}-{self._int(1000000, 9999999)}"
                    if country == "US" and kind is CustomerKind.COMPANY and rng.random() < 0.5
                    else None
                ),
                "created_on": created_on,
                "owner_id": owner.id,
                "manager_id": manager.id,
                "version": 1,
                "created_at": created_at,
                "updated_at": updated_at,
            },
        )
        for tag in rng.sample(TAGS, TAG_COUNT.pick(rng)):
            self._add("customer_tags", {"customer_id": customer_id, "tag": tag})

        ctx = _CustomerContext(
            id=customer_id,
            active=active,
            kind=kind,
            segment=segment,
            country=country,
            currency=currency,
            created_on=created_on,
            created_at=created_at,
            terms=terms,
            address=address,
            domain=domain,
            primary=primary,
            email=primary["email"],
            phone=primary["phone"],
        )
        site_ids, working_sites = self._sites(ctx)
        project_ids = self._projects(ctx)
        self._assets(ctx, site_ids)
        self._contracts(ctx)
        self._work_orders(ctx, site_ids, working_sites)
        self._leases(ctx, site_ids)
        self._opportunities(ctx)
        self._orders(ctx)
        self._invoices(ctx, project_ids)
        self._tickets(ctx)
        self._prices(ctx)
        self._history(ctx, owner)
        self.foreign_sites.extend(site_ids)

    def _contact_count(self, kind: CustomerKind, segment: CustomerSegment) -> int:
        if kind is CustomerKind.INDIVIDUAL:
            return 1
        low, high = SIZE[segment]["contacts"]
        return self._int(low, high)

    def _company_name(self, country: str, industry: str) -> str:
        rng = self.rng
        pattern = rng.random()
        if pattern < 0.55:
            base = f"{self._choice(NAME_PREFIXES)} {industry}"
        elif pattern < 0.8:
            base = f"{self._choice(LAST_NAMES)} {industry}"
        elif pattern < 0.9:
            base = f"{self._choice(LAST_NAMES)} & {self._choice(LAST_NAMES)}"
        else:
            base = f"{self._choice(NAME_PREFIXES)} {self._choice(LAST_NAMES)}"
        if rng.random() < 0.75:
            base = f"{base} {self._choice(COMPANY_SUFFIXES[country])}"
        return base

    def _vat_id(self, country: str) -> str:
        digits = "".join(str(self._int(0, 9)) for _ in range(9))
        if country == "NL":
            return f"NL{digits}B01"
        if country == "FR":
            return f"FR{self._int(10, 99)}{digits}"
        return f"{country}{digits}"

    def _contacts(
        self,
        customer_id: int,
        kind: CustomerKind,
        people: list[tuple[str, str]],
        domain: str,
        country: str,
        created_at: datetime,
    ) -> list[Row]:
        rows = []
        for index, (first, last) in enumerate(people):
            row = {
                "id": self._id("contacts"),
                "customer_id": customer_id,
                "name": f"{first} {last}",
                "title": None if kind is CustomerKind.INDIVIDUAL else self._choice(JOB_TITLES),
                "email": _email(first, last, domain)
                if index == 0 or self.rng.random() < 0.85
                else None,
                "phone": self._phone(country) if index == 0 or self.rng.random() < 0.6 else None,
                "is_primary": index == 0,
                "created_at": created_at
                if index == 0
                else self._moment_between(created_at, self.today),
            }
            rows.append(row)
            self._add("contacts", row)
        return rows

    def _billing(
        self,
        kind: CustomerKind,
        name: str,
        primary: Row,
        domain: str,
        country: str,
        address: Row,
    ) -> Row:
        rng = self.rng
        if kind is CustomerKind.INDIVIDUAL or rng.random() < 0.35:
            contact = {
                "billing_name": primary["name"],
                "billing_email": primary["email"],
                "billing_phone": primary["phone"],
            }
        else:
            contact = {
                "billing_name": f"{name} Accounts Payable",
                "billing_email": f"{self._choice(('ap', 'billing', 'invoices'))}@{domain}",
                "billing_phone": self._phone(country) if rng.random() < 0.7 else None,
            }
        place = address if rng.random() < 0.7 else self._address(country, None)
        return contact | {f"billing_{key}": value for key, value in place.items()}

    def _sites(self, ctx: _CustomerContext) -> tuple[list[int], set[int]]:
        """The customer's sites, and those that are (or were, until the customer's
        deactivation) active."""
        rng = self.rng
        if ctx.kind is CustomerKind.INDIVIDUAL:
            count = 1
        else:
            low, high = SIZE[ctx.segment]["sites"]
            count = self._int(low, high)
        site_ids: list[int] = []
        working_sites: set[int] = set()
        for index in range(count):
            site_id = self._id("sites")
            if index == 0:
                address = ctx.address
                name = "Residence" if ctx.kind is CustomerKind.INDIVIDUAL else "Headquarters"
            else:
                address = self._address(ctx.country, None)
                name = self._choice(SITE_NAMES).format(city=address["city"], n=index + 1)
            phone: str | None
            email: str | None
            if index > 0 and rng.random() < 0.3:
                first, last = self._person()
                contact_name = f"{first} {last}"
                email = _email(first, last, ctx.domain)
                phone = self._phone(ctx.country)
            else:
                contact_name, email, phone = ctx.primary["name"], ctx.email, ctx.phone
            was_active = index == 0 or rng.random() < 0.88
            status = SiteStatus.ACTIVE if ctx.active and was_active else SiteStatus.INACTIVE
            self._add(
                "sites",
                {
                    "id": site_id,
                    "customer_id": ctx.id,
                    "name": name,
                    "status": status,
                    **address,
                    "contact_name": contact_name,
                    "email": email,
                    "phone": phone,
                    "created_at": ctx.created_at
                    if index == 0
                    else self._moment_between(ctx.created_at, self.today),
                },
            )
            site_ids.append(site_id)
            if was_active:
                working_sites.add(site_id)
        return site_ids, working_sites

    def _projects(self, ctx: _CustomerContext) -> list[int]:
        rng = self.rng
        today = self.today
        ids = []
        for _ in range(self._int(0, 4)):
            roll = rng.random()
            end: date | None
            if roll < 0.25:
                status = ProjectStatus.PLANNED
                start = today + timedelta(days=self._int(1, 150))
                end = start + timedelta(days=self._int(30, 365)) if rng.random() < 0.8 else None
            elif roll < 0.62:
                status = ACTIVE_PROJECT_STATUSES.pick(rng)
                start = self._day(max(ctx.created_on, today - timedelta(days=400)), today)
                end = today + timedelta(days=self._int(0, 300)) if rng.random() < 0.8 else None
            else:
                status = PAST_PROJECT_STATUSES.pick(rng)
                start = self._day(ctx.created_on, today - timedelta(days=2))
                end = self._day(start, today - timedelta(days=1))
                if status is ProjectStatus.CANCELLED and rng.random() < 0.5:
                    end = None
            project_id = self._id("projects")
            ids.append(project_id)
            self._add(
                "projects",
                {
                    "id": project_id,
                    "customer_id": ctx.id,
                    "name": f"{self._choice(PROJECT_NAMES)} {start.year}",
                    "status": status,
                    "start_date": start,
                    "end_date": end,
                    "created_at": self._moment_between(
                        ctx.created_at, start - timedelta(days=self._int(0, 60))
                    ),
                },
            )
        return ids

    def _asset(self, ctx: _CustomerContext, site_id: int | None, owner_id: int | None) -> int:
        rng = self.rng
        model, code = self._choice(ASSET_MODELS)
        asset_id = self._id("assets")
        serial = self.numbers["serial"]
        self.numbers["serial"] = serial + 1
        self._add(
            "assets",
            {
                "id": asset_id,
                "name": model,
                "serial_number": f"{code}-{serial:07d}" if rng.random() < 0.95 else None,
                "status": ASSET_STATUSES.pick(rng),
                "site_id": site_id,
                "owner_customer_id": owner_id,
                "created_at": self._moment_between(ctx.created_at, self.today),
            },
        )
        return asset_id

    def _assets(self, ctx: _CustomerContext, site_ids: list[int]) -> None:
        rng = self.rng
        if ctx.kind is CustomerKind.INDIVIDUAL:
            count = self._int(1, 2)
        else:
            low, high = SIZE[ctx.segment]["assets"]
            count = self._int(low, high)
        # Every eighth customer (when there are others) has one asset standing elsewhere.
        force_foreign = self.index % 8 == 2 and bool(self.foreign_sites)
        for index in range(count):
            roll = rng.random()
            if (force_foreign and index == 0) or (roll < 0.1 and self.foreign_sites):
                site_id: int | None = self._choice(self.foreign_sites)
            elif roll < 0.87:
                site_id = self._choice(site_ids)
            else:
                site_id = None
            self._asset(ctx, site_id, ctx.id)

    def _contracts(self, ctx: _CustomerContext) -> None:
        rng = self.rng
        today = self.today
        for _ in range(self._int(0, 3)):
            roll = rng.random()
            end: date | None
            if roll < 0.12:
                status = ContractStatus.DRAFT
                start = today + timedelta(days=self._int(7, 90))
                end = start + timedelta(days=365 * self._int(1, 3) - 1)
            elif roll < 0.4:
                status = ContractStatus.EXPIRED
                start = self._day(ctx.created_on, today - timedelta(days=60))
                end = self._day(start + timedelta(days=30), today - timedelta(days=1))
            else:
                status = ContractStatus.ACTIVE
                start = self._day(max(ctx.created_on, today - timedelta(days=3 * 365)), today)
                years = self._int(1, 3)
                end = start + timedelta(days=365 * years - 1)
                while end < today:
                    end += timedelta(days=365)
                if rng.random() < 0.15:
                    end = None
            if rng.random() < 0.05 or (not ctx.active and status in LIVE_CONTRACTS):
                status = ContractStatus.CANCELLED
            self._add(
                "contracts",
                {
                    "id": self._id("contracts"),
                    "customer_id": ctx.id,
                    "number": self._number("contract"),
                    "start_date": start,
                    "end_date": end,
                    "value": self._money(1_000, 60_000, VALUE_SCALE[ctx.segment], ctx.currency),
                    "currency": ctx.currency,
                    "status": status,
                    "created_at": self._moment_between(
                        ctx.created_at, start - timedelta(days=self._int(0, 30))
                    ),
                },
            )

    def _work_orders(
        self, ctx: _CustomerContext, site_ids: list[int], working_sites: set[int]
    ) -> None:
        """Work at the customer's own sites; an inactive customer's open work was cancelled
        by its deactivation, together with the open tasks of that work."""
        rng = self.rng
        today = self.today
        for _ in range(self._int(0, 4)):
            site_id = self._choice(site_ids)
            pick = WORK_AT_ACTIVE_SITE if site_id in working_sites else WORK_AT_INACTIVE_SITE
            status = pick.pick(rng)
            if status is WorkOrderStatus.OPEN:
                scheduled = today + timedelta(days=self._int(0, 60))
            elif status is WorkOrderStatus.IN_PROGRESS:
                scheduled = today - timedelta(days=self._int(0, 14))
            else:
                scheduled = self._day(ctx.created_on, self.yesterday)
            task_statuses = [TASKS_OF_WORK[status].pick(rng) for _ in range(self._int(1, 4))]
            if not ctx.active and status in OPEN_WORK:
                status = WorkOrderStatus.CANCELLED
                task_statuses = [
                    TaskStatus.CANCELLED if task in OPEN_TASKS else task for task in task_statuses
                ]
            work_order_id = self._id("work_orders")
            created_at = self._moment_between(
                ctx.created_at, scheduled - timedelta(days=self._int(1, 21))
            )
            self._add(
                "work_orders",
                {
                    "id": work_order_id,
                    "customer_id": ctx.id,
                    "site_id": site_id,
                    "number": self._number("work_order"),
                    "title": self._choice(WORK_ORDER_TITLES),
                    "description": self._choice(WORK_DESCRIPTIONS) if rng.random() < 0.5 else None,
                    "status": status,
                    "scheduled_on": scheduled if rng.random() < 0.9 else None,
                    "created_at": created_at,
                },
            )
            titles = rng.sample(TASK_TITLES, len(task_statuses))
            for title, task_status in zip(titles, task_statuses, strict=True):
                self._add(
                    "tasks",
                    {
                        "id": self._id("tasks"),
                        "work_order_id": work_order_id,
                        "title": title,
                        "status": task_status,
                        "due_on": scheduled + timedelta(days=self._int(0, 7)),
                        "created_at": created_at,
                    },
                )

    def _leases(self, ctx: _CustomerContext, site_ids: list[int]) -> None:
        """Leased assets are ours (no owner) and stand at one of the customer's sites."""
        rng = self.rng
        for _ in range(LEASE_COUNT.pick(rng)):
            if rng.random() < 0.6:
                asset_id: int | None = self._asset(ctx, self._choice(site_ids), None)
                site_id: int | None = None
            else:
                asset_id, site_id = None, self._choice(site_ids)
            period = LEASE_PERIODS.pick(rng)
            start = self._day(ctx.created_on, self.today + timedelta(days=30))
            end = start + timedelta(days=365 * self._int(1, 5) - 1) if rng.random() < 0.8 else None
            self._add(
                "leases",
                {
                    "id": self._id("leases"),
                    "customer_id": ctx.id,
                    "asset_id": asset_id,
                    "site_id": site_id,
                    "start_date": start,
                    "end_date": end,
                    "rate": self._money(150, 4_000, PERIOD_MONTHS[period], ctx.currency),
                    "rate_period": period,
                    "currency": ctx.currency,
                    "created_at": self._moment_between(ctx.created_at, start),
                },
            )

    def _opportunities(self, ctx: _CustomerContext) -> None:
        rng = self.rng
        today = self.today
        for _ in range(self._int(0, 4)):
            stage = STAGES.pick(rng)
            if stage in (OpportunityStage.WON, OpportunityStage.LOST):
                close: date | None = self._day(ctx.created_on, today - timedelta(days=1))
            else:
                close = today + timedelta(days=self._int(7, 180)) if rng.random() < 0.85 else None
            self._add(
                "opportunities",
                {
                    "id": self._id("opportunities"),
                    "customer_id": ctx.id,
                    "name": self._choice(OPPORTUNITY_NAMES),
                    "amount": self._money(500, 80_000, VALUE_SCALE[ctx.segment], ctx.currency),
                    "currency": ctx.currency,
                    "stage": stage,
                    "expected_close_on": close,
                    "created_at": self._moment_between(
                        ctx.created_at, (close or today) - timedelta(days=self._int(14, 120))
                    ),
                },
            )

    def _orders(self, ctx: _CustomerContext) -> None:
        rng = self.rng
        today = self.today
        for _ in range(self._int(0, 6)):
            ordered_on = self._day(ctx.created_on, today - timedelta(days=1))
            if rng.random() < 0.08:
                status = OrderStatus.CANCELLED
            elif (today - ordered_on).days < 30 and rng.random() < 0.6:
                status = OrderStatus.PENDING
            else:
                status = OrderStatus.FULFILLED
            self._add(
                "orders",
                {
                    "id": self._id("orders"),
                    "customer_id": ctx.id,
                    "number": self._number("order"),
                    "ordered_on": ordered_on,
                    "total": self._money(50, 25_000, VALUE_SCALE[ctx.segment], ctx.currency),
                    "currency": ctx.currency,
                    "status": status,
                    "created_at": self._moment(ordered_on),
                },
            )

    def _invoices(self, ctx: _CustomerContext, project_ids: list[int]) -> None:
        rng = self.rng
        today = self.today
        term = timedelta(days=TERM_DAYS[ctx.terms])
        for _ in range(self._int(0, 6)):
            roll = rng.random()
            issued: date | None
            due: date | None
            paid: date | None = None
            if roll < 0.08:
                status, issued, due = InvoiceStatus.DRAFT, None, None
                created_at = self._moment_between(ctx.created_at, today)
            else:
                issued = self._day(ctx.created_on, today - timedelta(days=1))
                due = issued + term
                created_at = self._moment_between(ctx.created_at, issued)
                if roll < 0.13:
                    status = InvoiceStatus.VOID
                elif (today - issued).days > 120 or rng.random() < 0.55:
                    status = InvoiceStatus.PAID
                    paid = self._day(issued, min(due + timedelta(days=20), self.yesterday))
                else:
                    status = InvoiceStatus.ISSUED
            self._add(
                "invoices",
                {
                    "id": self._id("invoices"),
                    "customer_id": ctx.id,
                    "project_id": self._choice(project_ids)
                    if project_ids and rng.random() < 0.45
                    else None,
                    "number": self._number("invoice"),
                    "amount": self._money(100, 30_000, VALUE_SCALE[ctx.segment], ctx.currency),
                    "currency": ctx.currency,
                    "status": status,
                    "issued_on": issued,
                    "due_on": due,
                    "paid_on": paid,
                    "created_at": created_at,
                },
            )

    def _tickets(self, ctx: _CustomerContext) -> None:
        rng = self.rng
        today = self.today
        for _ in range(TICKET_COUNT.pick(rng)):
            status = TICKET_STATUSES.pick(rng)
            closed_at: datetime | None = None
            if status in (TicketStatus.OPEN, TicketStatus.PENDING):
                opened_at = self._moment_between(ctx.created_at, today)
                recent = self._moment(today - timedelta(days=self._int(1, 30)))
                opened_at = max(opened_at, recent)
            else:
                opened_at = self._moment_between(ctx.created_at, today - timedelta(days=1))
                closed_at = min(
                    opened_at + timedelta(hours=self._int(1, 20 * 24)),
                    datetime(today.year, today.month, today.day, tzinfo=UTC),
                )
                closed_at = max(closed_at, opened_at)
            self._add(
                "support_tickets",
                {
                    "id": self._id("support_tickets"),
                    "customer_id": ctx.id,
                    "subject": self._choice(TICKET_SUBJECTS),
                    "status": status,
                    "priority": PRIORITIES.pick(rng),
                    "opened_at": opened_at,
                    "closed_at": closed_at,
                },
            )

    def _prices(self, ctx: _CustomerContext) -> None:
        rng = self.rng
        today = self.today
        for code, product, list_cents in rng.sample(PRODUCTS, PRICE_COUNT.pick(rng)):
            discount = Decimal(100 - self._int(0, 20)) / 100
            price = (_cents(list_cents) * CURRENCY_RATE[ctx.currency] * discount).quantize(
                Decimal("0.01")
            )
            start = self._day(ctx.created_on, today)
            periods: list[tuple[date, date | None, Decimal]] = []
            if rng.random() < 0.3 and (today - start).days > 60:
                change = self._day(start + timedelta(days=30), today)
                old = (price * Decimal("0.95")).quantize(Decimal("0.01"))
                periods = [(start, change - timedelta(days=1), old), (change, None, price)]
            else:
                periods = [
                    (start, None if rng.random() < 0.8 else start + timedelta(days=364), price)
                ]
            for valid_from, valid_to, unit_price in periods:
                self._add(
                    "price_schedules",
                    {
                        "id": self._id("price_schedules"),
                        "customer_id": ctx.id,
                        "product_code": code,
                        "product_name": product,
                        "unit_price": unit_price,
                        "currency": ctx.currency,
                        "valid_from": valid_from,
                        "valid_to": valid_to,
                        "created_at": self._moment_between(ctx.created_at, valid_from),
                    },
                )

    def _history(self, ctx: _CustomerContext, owner: _Staff) -> None:
        """The CREATED event, shaped like the one the domain writes: stored field names
        (address parts as ``address.*``) and plain JSON values, as first entered."""
        rng = self.rng
        customer = self.rows["customers"][-1]
        changes: list[Row] = []
        if rng.random() < 0.8:
            optional = {
                "email": customer["email"],
                "phone": customer["phone"],
                "contact_title": customer["contact_title"],
                "address.city": customer["city"],
                "address.country": customer["country"],
                "payment_terms": customer["payment_terms"].value,
                "currency": ctx.currency,
            }
            typed = {
                "customer_number": customer["customer_number"],
                "name": customer["name"],
                "kind": ctx.kind.value,
                "segment": ctx.segment.value,
                "status": CustomerStatus.ACTIVE.value,
            } | {key: optional[key] for key in rng.sample(list(optional), self._int(1, 4))}
            changes = [
                {"field": field, "before": None, "after": value}
                for field, value in typed.items()
                if value is not None
            ]
        self._add(
            "history_events",
            {
                "id": self._id("history_events"),
                "occurred_at": ctx.created_at,
                "customer_id": ctx.id,
                "entity_type": "Customer",
                "entity_id": ctx.id,
                "action": HistoryAction.CREATED,
                "actor_user_id": owner.id,
                "actor_name": owner.name,
                "changes": changes,
            },
        )


@dataclass(frozen=True)
class _CustomerContext:
    """What the rows of one customer need to know about it."""

    id: int
    active: bool
    kind: CustomerKind
    segment: CustomerSegment
    country: str
    currency: str
    created_on: date
    created_at: datetime
    terms: PaymentTerms
    address: Row
    domain: str
    primary: Row
    email: str | None
    phone: str | None


# --- entry point --------------------------------------------------------------------------


async def _analyze(engine: AsyncEngine) -> None:
    """Fresh planner statistics: before autovacuum gets to thousands of new rows, PostgreSQL
    would guess a handful and sort a whole table for a page (10 ms where an index takes 0.2)."""
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))


async def seed_demo(
    engine: AsyncEngine,
    *,
    customers: int,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    today: date | None = None,
) -> SeedSummary:
    """Add ``customers`` demo customers with all their related rows (and demo users if none).

    ``progress`` is called after each batch with the number of customers it wrote. Dates
    are placed around ``today`` (the real today unless given). Safe on a database that
    already has data: ids and numbers continue after the highest existing ones; not meant
    to run while something else inserts into the same tables.
    """
    if customers < 0:
        raise ValueError("customers must not be negative")
    started = clock.perf_counter()
    today = today or date.today()

    async with engine.begin() as conn:
        users_created = await _ensure_users(conn, today)
        staff = await _load_staff(conn)
        next_ids = await _next_ids(conn)
        numbers = {
            kind: await _next_number(conn, table, column, prefix)
            for kind, (table, column, prefix) in NUMBERED.items()
        }
        numbers["serial"] = await _next_serial(conn)

    generator = _Generator(random.Random(seed), today, staff, next_ids, numbers)
    rows = users_created
    for start in range(0, customers, BATCH_SIZE):
        count = min(BATCH_SIZE, customers - start)
        batch = generator.batch(count)
        async with engine.begin() as conn:
            for name in INSERT_ORDER:
                if batch[name]:
                    await conn.execute(_table(name).insert(), batch[name])
            await _reset_sequences(conn, [name for name in TABLES_WITH_ID if batch[name]])
            await raise_counter(conn, generator.numbers["customer"] - 1)
        rows += sum(len(table_rows) for table_rows in batch.values())
        if progress is not None:
            progress(count)
    await _analyze(engine)
    return SeedSummary(
        users=users_created,
        customers=customers,
        rows=rows,
        seconds=clock.perf_counter() - started,
    )
