// A realistic 40-step flow (ingest, three feature branches, a foreach over models, reporting) as
// Python source, for the tests of big graphs: the unit tests analyse it, the webview page and the
// editor draw it.

const chain = (names: string[], last: string): string[] => names.map((n, i) => step(n, `self.next(self.${names[i + 1] ?? last})`));

function step(name: string, body: string, args = "self"): string {
  return `    @step\n    def ${name}(${args}):\n        ${body}\n`;
}

export const fortyStepFlowName = "CustomerChurnFlow";

export function fortyStepFlow(): string {
  const ingest = ["load_raw_events", "deduplicate_events", "validate_schema", "enrich_with_accounts", "sessionize_events"];
  const branches = [
    ["usage_features", "usage_windows", "usage_trends", "usage_outliers"],
    ["billing_features", "billing_history", "billing_arrears", "billing_plan_changes"],
    ["support_features", "support_tickets", "support_sentiment", "support_escalations"],
  ];
  const perModel = ["train_model", "calibrate_model", "evaluate_model", "explain_model"];
  const report = ["select_best_model", "score_customers", "segment_customers", "write_predictions", "build_dashboard", "check_drift", "publish_report", "archive_artifacts", "notify_owners", "close_run"];
  const parts = [
    step("start", `self.next(self.${ingest[0]})`),
    ...chain(ingest, "split_features"),
    step("split_features", `self.next(${branches.map((b) => `self.${b[0]}`).join(", ")})`),
    ...branches.flatMap((b) => chain(b, "join_features")),
    step("join_features", "self.merge_artifacts(inputs)\n        self.next(self.prepare_training_set)", "self, inputs"),
    step("prepare_training_set", "self.next(self.split_train_test)"),
    step("split_train_test", 'self.models = ["logistic", "forest", "boosting"]\n        self.next(self.fan_out_models)'),
    step("fan_out_models", 'self.next(self.train_model, foreach="models")'),
    ...chain(perModel, "join_models"),
    step("join_models", "self.scores = [i.input for i in inputs]\n        self.next(self.compare_models)", "self, inputs"),
    step("compare_models", `self.next(self.${report[0]})`),
    ...chain(report, "end"),
    step("end", "pass"),
  ];
  return `from metaflow import FlowSpec, step\n\n\nclass ${fortyStepFlowName}(FlowSpec):\n${parts.join("\n")}\n\nif __name__ == "__main__":\n    ${fortyStepFlowName}()\n`;
}
