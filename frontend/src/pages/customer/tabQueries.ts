import { graphql } from "../../gql";

/*
 * One query per tab of a customer's page: a page of one list, reached by cursors (first,
 * previous, next, last) and narrowed by a search, with its count.
 */

export const CustomerContactsTab = graphql(`
  query CustomerContactsTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      contacts(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id name title email phone isPrimary } }
      }
    }
  }
`);

export const CustomerSitesTab = graphql(`
  query CustomerSitesTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      sites(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id name status contactName email phone address { street1 city postalCode country } } }
      }
    }
  }
`);

export const CustomerProjectsTab = graphql(`
  query CustomerProjectsTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      projects(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id name status phase startDate endDate } }
      }
    }
  }
`);

export const CustomerAssetsTab = graphql(`
  query CustomerAssetsTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      assets(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id name serialNumber status ownerCustomer { id name } } }
      }
    }
  }
`);

export const CustomerOwnedAssetsTab = graphql(`
  query CustomerOwnedAssetsTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      ownedAssets(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id name serialNumber status site { id name } } }
      }
    }
  }
`);

export const CustomerContractsTab = graphql(`
  query CustomerContractsTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      contracts(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id number status startDate endDate value { amount currency } } }
      }
    }
  }
`);

export const CustomerWorkOrdersTab = graphql(`
  query CustomerWorkOrdersTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      workOrders(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id number title status scheduledOn site { id name } tasks { totalCount } } }
      }
    }
  }
`);

export const CustomerOpportunitiesTab = graphql(`
  query CustomerOpportunitiesTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      opportunities(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id name stage expectedCloseOn amount { amount currency } } }
      }
    }
  }
`);

export const CustomerOrdersTab = graphql(`
  query CustomerOrdersTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      orders(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id number orderedOn status total { amount currency } } }
      }
    }
  }
`);

export const CustomerInvoicesTab = graphql(`
  query CustomerInvoicesTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      invoices(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id number status issuedOn dueOn amount { amount currency } } }
      }
    }
  }
`);

export const CustomerTicketsTab = graphql(`
  query CustomerTicketsTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      tickets(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id subject status priority openedAt } }
      }
    }
  }
`);

export const CustomerLeasesTab = graphql(`
  query CustomerLeasesTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      leases(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id startDate endDate ratePeriod rate { amount currency } site { id name } asset { id name } } }
      }
    }
  }
`);

export const CustomerPriceSchedulesTab = graphql(`
  query CustomerPriceSchedulesTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      priceSchedules(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id productCode productName validFrom validTo unitPrice { amount currency } } }
      }
    }
  }
`);

export const CustomerHistoryTab = graphql(`
  query CustomerHistoryTab(
    $id: ID!
    $first: Int
    $last: Int
    $after: String
    $before: String
    $search: String
  ) {
    customer(id: $id) {
      id
      history(first: $first, last: $last, after: $after, before: $before, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { id occurredAt action entityType entityName actorName changes { field label before after beforeName afterName } } }
      }
    }
  }
`);
