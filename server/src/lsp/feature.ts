// What a document feature of the server is: one LSP request about one document, answered by a
// conversion of the analysis (its own file), declared as one entry of the table in features.ts
// with everything the server needs to offer it: the request type, the capability to advertise,
// the shape of the params the answer reads (checked at the edge, params.ts), the empty answer
// for a failure, and the answer. startServer.ts registers the whole table in one loop.
import { LSPErrorCodes, ResponseError, type Connection, type ProtocolRequestType, type RequestHandler, type ServerCapabilities } from "vscode-languageserver";
import type { FeatureContext } from "./context";
import type { Check } from "./paramChecks";
import { UserFacingError } from "./safe";

/** Runs `body` on the analysed document under the guard, or answers `fallback` (startServer.ts's `request`). */
export type FeatureRunner = <T>(name: string, uri: string, fallback: T, body: (ctx: FeatureContext) => T) => T;

export interface DocumentFeatureSpec<P extends { textDocument: { uri: string } }, R> {
  /** The name the guard logs a failure under. */
  name: string;
  type: ProtocolRequestType<P, R, unknown, unknown, unknown>;
  capabilities: ServerCapabilities;
  params: Check;
  /** The answer when there is no analysis or the feature failed. */
  empty: R;
  answer(ctx: FeatureContext, params: P): R;
}

/** A table entry: its types are checked where it is declared and closed over here. */
export interface DocumentFeature {
  readonly method: string;
  readonly capabilities: ServerCapabilities;
  readonly params: Check;
  register(connection: Connection, run: FeatureRunner): void;
}

export function documentFeature<P extends { textDocument: { uri: string } }, R>(spec: DocumentFeatureSpec<P, R>): DocumentFeature {
  return {
    method: spec.type.method,
    capabilities: spec.capabilities,
    params: spec.params,
    register(connection, run) {
      const handler = (p: P): R | ResponseError<unknown> => {
        try {
          return run(spec.name, p.textDocument.uri, spec.empty, (ctx) => spec.answer(ctx, p));
        } catch (error) {
          // Only an answer meant for the user gets past the guard (a refused rename): it is shown as an error.
          if (error instanceof UserFacingError) return new ResponseError<unknown>(LSPErrorCodes.RequestFailed, error.message);
          return spec.empty;
        }
      };
      // The library's handler result is a conditional type of R, which a generic R cannot be
      // checked against; `spec` has checked the types where the entry is declared.
      connection.onRequest(spec.type, handler as RequestHandler<P, R, unknown>);
    },
  };
}

/** The capabilities of every feature, for the `initialize` result. */
export function capabilitiesOf(features: readonly DocumentFeature[]): ServerCapabilities {
  return Object.assign({}, ...features.map((f) => f.capabilities)) as ServerCapabilities;
}
