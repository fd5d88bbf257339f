// Names as written -> what they mean, through the module's imports: decorators (`@s` for
// `step as s`, `@mf.retry`) and the step flags that depend on them.
import type { DecoratorModel, StepModel } from "../model";
import { resolveName, type ImportTable } from "./imports";
import type { ExtractedMethod } from "./method";

export function resolveDecorators(decorators: DecoratorModel[], imports: ImportTable): DecoratorModel[] {
  return decorators.map((d) => {
    const r = resolveName(d.written, imports);
    if (r.kind === "api") {
      const root = r.module.split(".")[0] ?? "";
      return { ...d, name: r.name, origin: root === "flowlens" ? "flowlens" : "metaflow" };
    }
    if (r.kind === "other" || r.kind === "local") return { ...d, name: r.name, origin: "other" };
    return { ...d, origin: "unknown" };
  });
}

export function resolveMethod(m: ExtractedMethod, imports: ImportTable): ExtractedMethod {
  const step: StepModel = { ...m.step, decorators: resolveDecorators(m.step.decorators, imports) };
  const stepDeco = step.decorators.find((d) => d.name === "step" && d.origin !== "other");
  const kwTrue = (n: string) => stepDeco?.args.some((a) => a.name === n && a.value === true) ?? false;
  step.isStep = stepDeco !== undefined;
  step.startAnnotated = kwTrue("start");
  step.endAnnotated = kwTrue("end");
  step.parallel = step.decorators.some((d) => d.name === "parallel" && d.origin !== "other");
  return { ...m, step };
}

/** A string that changes whenever name resolution could change. */
export function importsKey(t: ImportTable): string {
  const names = [...t.names].map(([k, v]) => `${k}=${v.module}:${v.name}`).join(",");
  const modules = [...t.modules].map(([k, v]) => `${k}=${v}`).join(",");
  return `${names}|${modules}|${t.starModules.join(",")}|${[...t.localNames].join(",")}`;
}
