"""The reference side of falab's step benchmark (org.falab.learning.bench.Bench): the same MLP, batch, dtype,
threads, rule and optimiser in PyTorch eager, each step timed on its own after a warm-up. FA is a custom autograd
function (forward with W, input gradient through a fixed B, weight gradient the true local one); SGD is
torch.optim.SGD with momentum 0.9. Prints one line: BENCH {json}.

usage: torch_step.py WIDTHS METHOD OPTIMIZER BATCH WARMUP STEPS THREADS
"""
import json
import sys
import time

import torch


class FeedbackAlignment(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, feedback):
        ctx.save_for_backward(x, weight, feedback)
        return x.mm(weight.t()) + bias

    @staticmethod
    def backward(ctx, grad):
        x, weight, feedback = ctx.saved_tensors
        return grad.mm(feedback), grad.t().mm(x), grad.sum(0), None


class Layer(torch.nn.Module):
    def __init__(self, fan_in, fan_out, fa):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.empty(fan_out, fan_in))
        self.bias = torch.nn.Parameter(torch.zeros(fan_out))
        torch.nn.init.xavier_uniform_(self.weight)
        self.fa = fa
        if fa:
            feedback = torch.empty(fan_out, fan_in)
            torch.nn.init.xavier_uniform_(feedback)
            self.register_buffer("feedback", feedback)

    def forward(self, x):
        if self.fa:
            return FeedbackAlignment.apply(x, self.weight, self.bias, self.feedback)
        return torch.nn.functional.linear(x, self.weight, self.bias)


def main():
    widths = [int(w) for w in sys.argv[1].split(",")]
    method, optimizer = sys.argv[2], sys.argv[3]
    batch, warmup, steps, threads = (int(a) for a in sys.argv[4:8])
    if method not in ("bp", "fa") or optimizer != "sgd":
        raise SystemExit("the reference covers bp and fa with sgd")
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    layers = [Layer(a, b, method == "fa") for a, b in zip(widths[:-1], widths[1:])]
    model = torch.nn.Sequential(*[m for layer in layers[:-1] for m in (layer, torch.nn.ReLU())], layers[-1])
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    n = batch * 8
    x = torch.randn(n, widths[0])
    y = torch.randint(0, widths[-1], (n,))
    loss_fn = torch.nn.CrossEntropyLoss()
    ms = []
    for s in range(warmup + steps):
        lo = (s % 8) * batch
        t0 = time.perf_counter_ns()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[lo:lo + batch]), y[lo:lo + batch])
        loss.backward()
        opt.step()
        loss.item()
        if s >= warmup:
            ms.append(round((time.perf_counter_ns() - t0) / 1e6, 4))
    print("BENCH " + json.dumps({"side": "pytorch", "version": "PyTorch " + torch.__version__ + " (Python "
                                 + sys.version.split()[0] + ")", "threads": threads, "stepsMs": ms}))


if __name__ == "__main__":
    main()
