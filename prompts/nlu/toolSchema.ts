import { z } from 'zod';
import { EntitiesSchema } from '../../domain/nlu/frameSchema';
import { INTENTS, INTENT_ENTITIES, type EntityKey } from '../../domain/nlu/types';

/**
 * The tool the model must call to answer: `record_frame({intent, entities})`. The same field types and
 * rules as the domain's `FrameSchema` (every answer valid here is valid there), plus a description of each
 * field's normal form for the model, and no `confidence` (the model's own figure is not calibrated).
 */
export const FRAME_TOOL_NAME = 'record_frame';

export const FRAME_TOOL_DESCRIPTION =
  'Record the frame of the chat message: its intent and the entities of that intent that the message states, in their normal forms. Omit every entity the message does not state.';

const ENTITY_DESCRIPTIONS: Record<EntityKey, string> = {
  order_id: '"ORD-" + the order id, upper case ("order #10042" -> "ORD-10042")',
  po_number: '"PO-" + the purchase-order number, upper case ("PO#55121" -> "PO-55121")',
  invoice_number: '"INV-" + the invoice number, upper case ("inv #2026-0042" -> "INV-2026-0042")',
  tracking_number: 'tracking or container number, upper case, inner spaces removed ("MSCU 1234567" -> "MSCU1234567")',
  customer: 'the customer as written',
  carrier: 'the carrier as written',
  origin: 'the origin place as written',
  destination: 'the destination place as written',
  items: 'the goods in text order; unit singular lower case',
  weight_kg: 'total weight in kilograms, 1 decimal (1 lb = 0.45359237 kg, "t"/"tonne" = 1000 kg, "ton" = 2000 lb)',
  pickup_date: 'YYYY-MM-DD: ship / pick up / collect / load date',
  delivery_date: 'YYYY-MM-DD: deliver / arrive / due / "by" date',
  service_level: '"expedited" for rush, urgent, asap, express, expedite(d), hot; "standard" only when said',
  status: 'late/overdue/behind -> delayed; stuck/damaged/held -> exception',
  period: 'both dates inclusive, YYYY-MM-DD',
  metric: 'the KPI asked for',
  min_amount: 'currency units without symbol: the lower bound of discrepancies to audit',
  amount: 'currency units without symbol: the amount stated in a flag reason',
  reason: 'the text after the invoice/order reference and its separator, as written',
  report: 'daily exceptions report -> exceptions; invoice audit -> invoice_audit; plain digest / KPI report -> kpi_digest; omit when none is named',
  channel: '"#" + channel name, lower case; omit for "here" / "this channel"',
  frequency: 'every weekday -> weekdays; every Monday -> weekly',
  day_of_week: 'lower-case English day name, only with frequency weekly',
  time: 'HH:MM, 24-hour ("8am" -> "08:00", "noon" -> "12:00", a bare "at 6" -> "06:00")',
};

const ItemToolSchema = EntitiesSchema.shape.items.unwrap().element;
const PeriodToolSchema = EntitiesSchema.shape.period.unwrap();

const describedShape = Object.fromEntries(
  (Object.keys(EntitiesSchema.shape) as EntityKey[]).map((k) => [k, EntitiesSchema.shape[k].describe(ENTITY_DESCRIPTIONS[k])]),
) as typeof EntitiesSchema.shape;

const intentsWithEntities = INTENTS.map((i) => `${i}: ${INTENT_ENTITIES[i].join(', ') || 'none'}`).join('; ');

export const EntitiesToolSchema = z
  .object({
    ...describedShape,
    items: z
      .array(
        ItemToolSchema.extend({
          quantity: ItemToolSchema.shape.quantity.describe('the count'),
          unit: ItemToolSchema.shape.unit.describe('singular, lower case ("plts" -> pallet, "ctns" -> carton)'),
          description: ItemToolSchema.shape.description.describe('what the goods are, when said'),
          sku: ItemToolSchema.shape.sku.describe('the SKU, when given'),
        }),
      )
      .optional()
      .describe(ENTITY_DESCRIPTIONS.items),
    period: PeriodToolSchema.extend({
      from: PeriodToolSchema.shape.from.describe('first day, YYYY-MM-DD'),
      to: PeriodToolSchema.shape.to.describe('last day, YYYY-MM-DD (inclusive)'),
    })
      .optional()
      .describe(ENTITY_DESCRIPTIONS.period),
  })
  .describe(`Only the entities of the intent that the message states. Entities per intent: ${intentsWithEntities}.`);

export const FrameToolSchema = z
  .object({
    intent: z.enum(INTENTS).describe('what the person wants; "unknown" for chit-chat, off-topic or too vague to act on'),
    entities: EntitiesToolSchema,
  })
  .describe(FRAME_TOOL_DESCRIPTION);

export type FrameToolAnswer = z.infer<typeof FrameToolSchema>;
