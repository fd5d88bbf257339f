// elkjs ships no useful types for its worker file. Loaded inside a Worker it also installs its own
// `self.onmessage`; its `Worker` export runs ELK in the current thread (our layout worker uses it).
declare module "elkjs/lib/elk-worker.min.js" {
  export const Worker: new () => globalThis.Worker;
}
