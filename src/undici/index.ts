// tsdo/undici: an HttpClient on undici (an optional peer dependency), kept off tsdo's main entry
// so that the default install and import never load undici.
export { UndiciHttpClient, type UndiciHttpClientOptions } from "./undiciHttpClient.js";
