// What every component renderer gets: where it sits (a stable key, so a table keeps its page and
// sort across live updates) and the state kept between renders of the same card.
import type { TableView } from "./tableModel";

export interface RenderContext {
  /** The component's key: its id when it has one, else its position ("2.0.1"). */
  key: string;
  state: CardState;
}

export interface CardState {
  tables: Map<string, TableView>;
}

export function childContext(ctx: RenderContext, index: number, id: unknown): RenderContext {
  return { key: typeof id === "string" && id !== "" ? `#${id}` : `${ctx.key}.${index}`, state: ctx.state };
}
