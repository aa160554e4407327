/**
 * The Redis ACL of the API's user, as the elasticache module grants it (its `app_access_string`
 * default; a generator test keeps both equal). Integration tests apply it to a real Redis so a
 * command the API needs but the ACL lacks fails here, not in production.
 */
export const APP_ACCESS_STRING =
  "on ~expense:* -@all +auth +hello +ping +info +get +set +exists +incr +time +eval +evalsha";
