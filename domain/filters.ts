/** The filters people put on shipments and invoices (names as written; matched case-insensitively). */
export interface ShipmentFilters {
  carrier?: string;
  customer?: string;
  origin?: string;
  destination?: string;
}
