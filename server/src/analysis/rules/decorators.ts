// Decorator checks Metaflow makes when decorators load or tasks run, made statically:
// FL101 placement, FL102 unknown or repeated, FL104 @catch on foreach/switch, FL105 too many
// retries, FL106 @batch limits, FL108 argument names and types, FL109 features Flowlens does not run.
import { argKindAccepts, describeKind, knownDecorators } from "../knownDecorators";
import type { DecoratorModel } from "../model";
import type { Finding, Rule, RuleContext } from "./context";

const stepOf = (d: DecoratorModel) => d.origin !== "other";

function checkArguments(d: DecoratorModel, step: string | undefined, report: (f: Finding) => void): void {
  const known = knownDecorators[d.name];
  if (!known?.args || d.origin === "other") return;
  const names = Object.keys(known.args);
  for (const a of d.args) {
    // `**cfg` unpacks a mapping (often a Config) into keyword arguments: not checked statically.
    if (a.name === null && a.text.startsWith("**")) continue;
    if (a.name === null) {
      report({ code: "FL108", step, span: a.span, message: `@${d.written} takes keyword arguments only; write ${names[0] ?? "name"}=${a.text}.` });
      continue;
    }
    const kind = known.args[a.name];
    if (kind === undefined) {
      report({
        code: "FL108",
        step,
        span: a.span,
        message: `@${d.written} has no argument "${a.name}".${names.length > 0 ? ` Its arguments are: ${names.join(", ")}.` : " It takes no arguments."}`,
      });
    } else if (known.unsupportedArgs?.[a.name] !== undefined && a.value !== null) {
      report({ code: "FL109", step, span: a.span, message: `@${d.written}(${a.name}=...) is not supported: ${known.unsupportedArgs[a.name] ?? ""}. Remove it to run this step with Flowlens; the run is refused while it is there.` });
    } else if (!argKindAccepts(kind, a.value)) {
      report({ code: "FL108", step, span: a.valueSpan, message: `@${d.written}(${a.name}=...) must be ${describeKind(kind)}, not ${a.value === undefined ? a.text : JSON.stringify(a.value)}.` });
    }
  }
}

function checkKnown(d: DecoratorModel, scope: "step" | "flow", step: string | undefined, report: (f: Finding) => void): void {
  if (d.origin === "other" || d.name === "step") return;
  const known = knownDecorators[d.name];
  if (!known) {
    report({
      code: "FL102",
      step,
      severity: d.origin === "unknown" ? "error" : "warning",
      span: d.nameSpan,
      message:
        d.origin === "unknown"
          ? `Unknown decorator @${d.written}: it is not one of Metaflow's and is not imported. Import it, or remove it.`
          : `@${d.written} is not a ${scope} decorator Flowlens knows; it may come from a Metaflow extension. Check the name.`,
    });
    return;
  }
  if (known.scope !== scope) {
    report({
      code: "FL102",
      step,
      span: d.nameSpan,
      message: known.scope === "flow" ? `@${d.written} is a flow decorator: put it on the flow class, not on a step.` : `@${d.written} is a step decorator: put it on a step (above @step), not on the class.`,
    });
    return;
  }
  if (d.origin === "unknown") {
    report({ code: "FL102", step, span: d.nameSpan, message: `@${d.written} is Metaflow's, but it is not imported. Add "from metaflow import ${d.name}".` });
  }
  if (known.unsupported) {
    report({
      code: "FL109",
      step,
      severity: known.runFails ? "error" : "warning",
      span: d.nameSpan,
      message: known.runFails ? `@${d.written}: ${known.unsupported}. Remove @${d.written} to run this flow with Flowlens, or run it with Metaflow.` : `@${d.written}: ${known.unsupported}.`,
    });
  }
  checkArguments(d, step, report);
}

function seconds(d: DecoratorModel): number | undefined {
  let total = 0;
  for (const a of d.args) {
    if (typeof a.value !== "number") return undefined;
    if (a.name === "seconds") total += a.value;
    else if (a.name === "minutes") total += 60 * a.value;
    else if (a.name === "hours") total += 3600 * a.value;
  }
  return total;
}

export const decoratorChecks: Rule = {
  name: "decorators",
  codes: {
    FL101: { severity: "error", summary: "a step decorator on a method without `@step`, or below `@step`", at: "the decorator name" },
    FL102: { severity: "error", summary: "an unknown decorator, a Metaflow decorator not imported, a flow decorator on a step (or the reverse), one applied twice (except `@card`), or `@batch` and `@kubernetes` on one step; a warning for an unknown name imported from `metaflow`", at: "the decorator name" },
    FL104: { severity: "error", summary: "`@catch` on a foreach, parallel or switch step", at: "the decorator name" },
    FL105: { severity: "error", summary: "`@retry(times=N)` with N above 4", at: "the value" },
    FL106: { severity: "error", summary: "`@timeout` under 60 s on a `@batch` step; a relative `@batch(tmpfs_path=...)`", at: "the decorator or the value" },
    FL108: { severity: "error", summary: "a decorator argument Metaflow does not take, a positional one, or a literal of the wrong type", at: "the argument or its value" },
    FL109: { severity: "error", summary: "a decorator Flowlens does not run (an error when the run then fails, a warning when a run ignores it), or a `@kubernetes` argument it refuses", at: "the decorator name, or the argument" },
  },
  run(ctx: RuleContext, report) {
    for (const m of ctx.ownMethods) {
      const s = m.step;
      const decos = ctx.methods.get(s.name)?.step.decorators ?? s.decorators;
      if (!s.isStep) {
        for (const d of decos) {
          if (stepOf(d) && knownDecorators[d.name]?.scope === "step") {
            report({ code: "FL101", span: d.nameSpan, message: `@${d.written} is a step decorator, but ${s.name} has no @step. Add @step below it, or remove @${d.written}.` });
          }
        }
        continue;
      }
      const stepIndex = decos.findIndex((d) => d.name === "step");
      const seen = new Map<string, DecoratorModel>();
      decos.forEach((d, i) => {
        if (d.name === "step") return;
        if (i > stepIndex && stepOf(d) && knownDecorators[d.name]?.scope === "step") {
          report({ code: "FL101", step: s.name, span: d.nameSpan, message: `@${d.written} is below @step; Metaflow's step decorators go above @step. Move it above @step.` });
        }
        checkKnown(d, "step", s.name, report);
        const first = seen.get(d.name);
        if (first && stepOf(d) && !knownDecorators[d.name]?.repeatable) {
          report({
            code: "FL102",
            step: s.name,
            span: d.nameSpan,
            message: `@${d.written} is applied twice to ${s.name}. Keep one and merge their arguments.`,
            related: [{ message: "first use", span: first.nameSpan }],
          });
        }
        if (!first) seen.set(d.name, d);
      });
      const executorDecos = decos.filter((d) => stepOf(d) && (d.name === "batch" || d.name === "kubernetes"));
      if (executorDecos.length === 2 && executorDecos[0]?.name !== executorDecos[1]?.name) {
        const [first, second] = executorDecos;
        if (first && second) {
          report({ code: "FL102", step: s.name, span: second.nameSpan, message: `${s.name} has both @batch and @kubernetes: a step runs on one of them. Keep one.`, related: [{ message: `@${first.written}`, span: first.nameSpan }] });
        }
      }
      const stepDeco = decos[stepIndex];
      if (stepDeco) checkArguments(stepDeco, s.name, report);
      if (stepDeco?.origin === "unknown") {
        report({ code: "FL102", step: s.name, span: stepDeco.nameSpan, message: `@${stepDeco.written} is Metaflow's, but it is not imported. Add "from metaflow import step".` });
      }

      const typed = ctx.methods.get(s.name)?.step;
      const type = typed?.type;
      const catchDeco = decos.find((d) => d.name === "catch" && stepOf(d));
      if (catchDeco && (type === "split-foreach" || type === "split-parallel" || type === "split-switch")) {
        report({
          code: "FL104",
          step: s.name,
          span: catchDeco.nameSpan,
          message: `@catch is not supported on ${type === "split-switch" ? "a switch" : "a foreach"} step (${s.name}): a caught failure would leave no ${type === "split-switch" ? "condition" : "items"} to ${type === "split-switch" ? "choose a branch" : "fan out"}. Move the risky work to a step before ${s.name}, or remove @catch.`,
        });
      }
      const retry = decos.find((d) => d.name === "retry" && stepOf(d));
      const times = retry?.args.find((a) => a.name === "times");
      if (times && typeof times.value === "number" && times.value > 4) {
        report({ code: "FL105", step: s.name, span: times.valueSpan, message: `@retry(times=${times.value}) exceeds Metaflow's limit of 4 retries (at most 6 attempts with @catch). Use times=4 or fewer.` });
      }
      const batch = decos.find((d) => d.name === "batch" && stepOf(d));
      if (batch) {
        const timeout = decos.find((d) => d.name === "timeout" && stepOf(d));
        const total = timeout ? seconds(timeout) : undefined;
        if (timeout && total !== undefined && total > 0 && total < 60) {
          report({ code: "FL106", step: s.name, span: timeout.span, message: `@timeout of ${total} s on a @batch step: AWS Batch needs at least 60 s. Raise the timeout to 60 seconds or more.` });
        }
        const tmpfs = batch.args.find((a) => a.name === "tmpfs_path");
        if (tmpfs && typeof tmpfs.value === "string" && !tmpfs.value.startsWith("/")) {
          report({ code: "FL106", step: s.name, span: tmpfs.valueSpan, message: `@batch(tmpfs_path=${JSON.stringify(tmpfs.value)}) must be an absolute path. Use e.g. "/${tmpfs.value}".` });
        }
      }
    }
    if (!ctx.library) for (const d of ctx.flow.decorators) checkKnown(d, "flow", undefined, report);
  },
};
