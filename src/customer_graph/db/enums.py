"""The closed vocabularies of the domain.

They live in the lowest layer because the database enforces them too (CHECK constraints);
the domain and the GraphQL schema use these same classes.
"""

from __future__ import annotations

import enum


class CustomerKind(enum.Enum):
    COMPANY = "COMPANY"
    INDIVIDUAL = "INDIVIDUAL"


class CustomerSegment(enum.Enum):
    ENTERPRISE = "ENTERPRISE"
    SMB = "SMB"
    STARTUP = "STARTUP"


class CustomerStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class PaymentTerms(enum.Enum):
    DUE_ON_RECEIPT = "DUE_ON_RECEIPT"
    NET_15 = "NET_15"
    NET_30 = "NET_30"
    NET_45 = "NET_45"
    NET_60 = "NET_60"
    NET_90 = "NET_90"


class SiteStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class ProjectStatus(enum.Enum):
    PLANNED = "PLANNED"
    ACTIVE = "ACTIVE"
    ON_HOLD = "ON_HOLD"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class ProjectPhase(enum.Enum):
    UPCOMING = "UPCOMING"
    ACTIVE = "ACTIVE"
    PAST = "PAST"


class AssetStatus(enum.Enum):
    IN_SERVICE = "IN_SERVICE"
    IN_REPAIR = "IN_REPAIR"
    OUT_OF_SERVICE = "OUT_OF_SERVICE"
    RETIRED = "RETIRED"


class ContractStatus(enum.Enum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"


class WorkOrderStatus(enum.Enum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class TaskStatus(enum.Enum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class LeaseRatePeriod(enum.Enum):
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"
    YEARLY = "YEARLY"


class OpportunityStage(enum.Enum):
    PROSPECTING = "PROSPECTING"
    QUALIFICATION = "QUALIFICATION"
    PROPOSAL = "PROPOSAL"
    NEGOTIATION = "NEGOTIATION"
    WON = "WON"
    LOST = "LOST"


class OrderStatus(enum.Enum):
    PENDING = "PENDING"
    FULFILLED = "FULFILLED"
    CANCELLED = "CANCELLED"


class InvoiceStatus(enum.Enum):
    DRAFT = "DRAFT"
    ISSUED = "ISSUED"
    PAID = "PAID"
    VOID = "VOID"


class TicketStatus(enum.Enum):
    OPEN = "OPEN"
    PENDING = "PENDING"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


class TicketPriority(enum.Enum):
    LOW = "LOW"
    NORMAL = "NORMAL"
    HIGH = "HIGH"
    URGENT = "URGENT"


class Role(enum.Enum):
    ADMIN = "ADMIN"
    SALES_MANAGER = "SALES_MANAGER"
    SALES_REP = "SALES_REP"
    SUPPORT = "SUPPORT"


class HistoryAction(enum.Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    DELETED = "DELETED"
    DEACTIVATED = "DEACTIVATED"
    REACTIVATED = "REACTIVATED"
    ARCHIVED = "ARCHIVED"
    UNARCHIVED = "UNARCHIVED"
    CANCELLED = "CANCELLED"
