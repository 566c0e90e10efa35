import { graphql } from "../../gql";
import type { CustomersListQuery } from "../../gql/graphql";

export const CustomersList = graphql(`
  query CustomersList(
    $first: Int
    $after: String
    $last: Int
    $before: String
    $filter: CustomerFilter
    $orderBy: CustomerOrder
  ) {
    viewer {
      permissions
    }
    users(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
    customers(
      first: $first
      after: $after
      last: $last
      before: $before
      filter: $filter
      orderBy: $orderBy
    ) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          kind
          segment
          name
          customerNumber
          contactTitle
          email
          phone
          status
          isArchived
          tags
          createdOn
          address {
            street1
            city
            region
            postalCode
          }
          owner {
            id
            name
          }
          manager {
            id
            name
          }
          sites(first: 3) {
            totalCount
            edges {
              node {
                id
                name
              }
            }
          }
          assetSummary {
            onLocation
            owned
          }
          totalRevenue {
            amount
            currency
          }
          openOpportunityCount
        }
      }
    }
  }
`);

export const CustomerFeed = graphql(`
  subscription CustomerFeed {
    customerEvents {
      action
    }
  }
`);

export type ListData = CustomersListQuery;
export type Row = NonNullable<CustomersListQuery["customers"]>["edges"][number]["node"];
