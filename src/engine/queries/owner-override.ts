/** The owner rule recorded when a person assigned a renewal's owner; the daily run keeps that owner. */
export const MANUAL_OWNER_RULE = 'manual_override';
