"""The domain's enums, exposed to GraphQL under their own names (``Role`` with ``User``)."""

from __future__ import annotations

import strawberry

from customer_graph.db import enums

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
    enums.HistoryAction,
):
    strawberry.enum(_enum)
