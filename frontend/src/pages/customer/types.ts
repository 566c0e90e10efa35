import type { CustomerDetailQuery } from "../../gql/graphql";

export type Customer = NonNullable<CustomerDetailQuery["customer"]>;
