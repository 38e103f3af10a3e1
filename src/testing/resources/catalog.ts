import { paginate } from "../pagination.js";
import { ok, type StatefulRoute } from "../route.js";

/** The account and the fixed catalog: who the token belongs to, where and what droplets can be. */
export const catalogRoutes: StatefulRoute[] = [
  {
    operationId: "account_get",
    handle: (_request, { state }) => ok({ account: state.account }),
  },
  {
    operationId: "regions_list",
    handle: (request, { state }) => paginate(request, "regions", state.regions),
  },
  {
    operationId: "sizes_list",
    handle: (request, { state }) => paginate(request, "sizes", state.sizes),
  },
];
