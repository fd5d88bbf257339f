// The custom LSP messages between the editor and the language server, as typed message types:
// the server's handler and the client's call are checked against the same parameter and result
// types. The data they carry is declared in graph.ts and flowInfo.ts.
import { NotificationType, ProtocolRequestType, RequestType } from "vscode-languageserver-protocol";
import { ArtifactAtRequest, type ArtifactAtParams, type ArtifactAtResult } from "./artifactAt";
import { FlowInfoRequest, type FlowInfoParams, type FlowInfoResult } from "./flowInfo";
import { GraphChangedNotification, GraphRequest, type GraphParams, type GraphResult } from "./graph";

/** The flows of a file as graphs; null when the server has no analysis of it. A file not read as source answers an error. */
export const graphRequest = new RequestType<GraphParams, GraphResult | null, void>(GraphRequest);

/** Sent by the server when a file's graph changed. */
export const graphChangedNotification = new NotificationType<GraphResult>(GraphChangedNotification);

/** Which flow a file runs and what it needs; null when the server has no analysis of it. */
export const flowInfoRequest = new RequestType<FlowInfoParams, FlowInfoResult | null, void>(FlowInfoRequest);

/** The artifact at a position (hover values); null when there is none. A document feature of the server's table. */
export const artifactAtRequest = new ProtocolRequestType<ArtifactAtParams, ArtifactAtResult | null, never, void, void>(ArtifactAtRequest);
