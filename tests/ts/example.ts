// Compiled by `tsc --noEmit` in `make test`: the package's types must describe real usage,
// with no `any` anywhere in the public surface.
import init, { schedule, apr, call, type ScheduleRequest, type ScheduleResponse, type PuhuiError } from "../../pkg/web/puhui.js";

export async function example(): Promise<string> {
  await init();
  const request: ScheduleRequest = { principal: "10000.00", annualRate: "0.072", termMonths: 12, method: "equal-installment" };
  const plan: ScheduleResponse = schedule(request);
  const first: string = plan.installments[0].payment;
  const rate = apr({ method: "cn-irr", advance: plan.amountReceived, payments: plan.installments.map((row) => row.payment) });
  const viaCall: unknown = call("schedule", request);
  try {
    schedule({ ...request, principal: "1e4" });
  } catch (error) {
    const code: string = (error as PuhuiError).code;
    return `${first} ${rate.percent} ${code} ${typeof viaCall}`;
  }
  return first;
}
