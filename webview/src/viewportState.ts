// The viewport as plain numbers (persisted with getState/setState), apart from the DOM class
// in viewport.ts so the pure modules and their Node tests can use it.
export interface ViewportState {
  x: number;
  y: number;
  scale: number;
}
