/**
 * Tessera's ids (tasks, orders, products, images, image storage keys) are what randomUUID() makes: lower-case
 * hex in the 8-4-4-4-12 shape. Anything else cannot name a row or an object, so it is answered like a missing one
 * and never reaches a query, a file path or an object name. One pattern, so that every kind of id agrees.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `value` has the shape of an id this server made (randomUUID(), lower case). */
export const isUuid = (value: string): boolean => UUID.test(value);
