import type {
  CustomerAssetsTabQuery,
  CustomerContactsTabQuery,
  CustomerContractsTabQuery,
  CustomerDetailQuery,
  CustomerHistoryTabQuery,
  CustomerInvoicesTabQuery,
  CustomerLeasesTabQuery,
  CustomerOpportunitiesTabQuery,
  CustomerOrdersTabQuery,
  CustomerOwnedAssetsTabQuery,
  CustomerPriceSchedulesTabQuery,
  CustomerProjectsTabQuery,
  CustomerSitesTabQuery,
  CustomerTicketsTabQuery,
  CustomerWorkOrdersTabQuery,
} from "../../gql/graphql";

export type Customer = NonNullable<CustomerDetailQuery["customer"]>;

type Tab<Q extends { customer?: unknown }> = NonNullable<Q["customer"]>;

/** Each list of a customer as its tab reads it: a page with its count and cursors. */
export interface TabConnections {
  contacts: Tab<CustomerContactsTabQuery>["contacts"];
  sites: Tab<CustomerSitesTabQuery>["sites"];
  projects: Tab<CustomerProjectsTabQuery>["projects"];
  assets: Tab<CustomerAssetsTabQuery>["assets"];
  ownedAssets: Tab<CustomerOwnedAssetsTabQuery>["ownedAssets"];
  contracts: Tab<CustomerContractsTabQuery>["contracts"];
  workOrders: Tab<CustomerWorkOrdersTabQuery>["workOrders"];
  opportunities: Tab<CustomerOpportunitiesTabQuery>["opportunities"];
  orders: Tab<CustomerOrdersTabQuery>["orders"];
  invoices: Tab<CustomerInvoicesTabQuery>["invoices"];
  tickets: Tab<CustomerTicketsTabQuery>["tickets"];
  leases: Tab<CustomerLeasesTabQuery>["leases"];
  priceSchedules: Tab<CustomerPriceSchedulesTabQuery>["priceSchedules"];
  history: Tab<CustomerHistoryTabQuery>["history"];
}

export type TabConnection = TabConnections[keyof TabConnections];

/** The rows of one of the customer's lists. */
export type Nodes<K extends keyof TabConnections> = TabConnections[K]["edges"][number]["node"];
