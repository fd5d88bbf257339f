// The flow text the near-miss cases are written in: a header importing every API name they use,
// a class F wrapped around the steps, and a linear start → end flow with room for extra members.
const header = "from metaflow import FlowSpec, step, Parameter, retry, catch, timeout, resources, batch, parallel, kubernetes\n\n";

export const wrap = (body: string): string => `${header}class F(FlowSpec):\n${body.replace(/^\n/, "")}\n\nif __name__ == "__main__":\n    F()\n`;

export const linear = (extra = "", startBody = "        self.next(self.end)"): string =>
  wrap(`
${extra}
    @step
    def start(self):
${startBody}

    @step
    def end(self):
        pass
`);
