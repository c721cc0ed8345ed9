/**
 * What a `simple-json` column holds: JSON values, nothing undefined. Nested values are typed `object`
 * because TypeORM's partial-entity types cannot recurse through a recursive JSON type.
 */
export type JsonValue = string | number | boolean | null | object;
export type JsonObject = { [key: string]: JsonValue };
