import { paginate } from "../pagination.js";
import { ok, type Route } from "../route.js";

/** The account and the fixed catalog: who the token belongs to, where and what droplets can be. */
export const catalogRoutes: Route[] = [
  {
    operationId: "account_get",
    method: "GET",
    path: "/v2/account",
    handle: (_request, { state }) => ok({ account: state.account }),
  },
  {
    operationId: "regions_list",
    method: "GET",
    path: "/v2/regions",
    handle: (request, { state }) => paginate(request, "regions", state.regions),
  },
  {
    operationId: "sizes_list",
    method: "GET",
    path: "/v2/sizes",
    handle: (request, { state }) => paginate(request, "sizes", state.sizes),
  },
];
