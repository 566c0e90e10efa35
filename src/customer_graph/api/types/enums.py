"""The domain's enums, exposed to GraphQL under their own names."""

from __future__ import annotations

import strawberry

from customer_graph.db import enums
from customer_graph.domain.customer_list import ArchivedFilter

for _enum in (
    enums.CustomerKind,
    enums.CustomerSegment,
    enums.CustomerStatus,
    enums.PaymentTerms,
    enums.SiteStatus,
    enums.ProjectStatus,
    enums.ProjectPhase,
    enums.AssetStatus,
    enums.ContractStatus,
    enums.WorkOrderStatus,
    enums.TaskStatus,
    enums.LeaseRatePeriod,
    enums.OpportunityStage,
    enums.OrderStatus,
    enums.InvoiceStatus,
    enums.TicketStatus,
    enums.TicketPriority,
    enums.Role,
    enums.HistoryAction,
):
    strawberry.enum(_enum)

strawberry.enum(
    ArchivedFilter,
    description="EXCLUDE hides archived customers (the default, except for a search), "
    "INCLUDE shows them too, ONLY shows nothing else.",
)
