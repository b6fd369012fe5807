"""The reference side of falab's step benchmark (org.falab.learning.bench.Bench): the same model, batch, dtype,
threads, rule and optimiser in PyTorch eager, each step (gathering its shuffled batch, zeroing gradients, forward,
backward, update, the loss read back) timed on its own after a warm-up. Prints one line:
BENCH {json}.

FA is a custom autograd function on every Linear and Conv2d (forward with W; input gradient through a fixed B, the
transposed convolution for conv; weight and bias gradients the true local ones), first layer and head included, as in
falab and biotorch. SGD is torch.optim.SGD (momentum 0.9). Muon is science.md's: hidden matrices and conv filters
except the first layer and the head, beta 0.95 with Nesterov, 5 quintic Newton-Schulz steps in float32 after
Frobenius normalisation (transposed when tall), scaled by sqrt(max(1, rows/cols)) of the 2-D shape; AdamW (betas
0.9/0.95, eps 1e-10) for the rest.

usage: torch_step.py MODEL METHOD OPTIMIZER BATCH WARMUP STEPS THREADS [DEVICE (cpu | cuda | cuda:N) [WARMUP_SECONDS]]
  the warm-up is WARMUP steps, and more until WARMUP_SECONDS have passed
  MODEL: mlp:784,256,256,10 | cnn (1x28x28; conv 32, conv 64, 256-256-10) | resnet18 (3x32x32, batch norm)
"""
import json
import math
import sys
import time

import torch
import torch.nn.functional as F


class LinearFA(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, feedback):
        ctx.save_for_backward(x, feedback)
        return F.linear(x, weight, bias)

    @staticmethod
    def backward(ctx, grad):
        x, feedback = ctx.saved_tensors
        return grad.mm(feedback), grad.t().mm(x), grad.sum(0), None


class Conv2dFA(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, feedback, stride, padding):
        ctx.save_for_backward(x, weight, feedback)
        ctx.stride, ctx.padding = stride, padding
        return F.conv2d(x, weight, bias, stride, padding)

    @staticmethod
    def backward(ctx, grad):
        x, weight, feedback = ctx.saved_tensors
        # as biotorch does: the transposed convolution of the error with B, the weight gradient the true one
        grad_input = None
        if ctx.needs_input_grad[0]:
            grad_input = torch.nn.grad.conv2d_input(x.shape, feedback, grad, ctx.stride, ctx.padding)
        grad_weight = torch.nn.grad.conv2d_weight(x, weight.shape, grad, ctx.stride, ctx.padding)
        grad_bias = grad.sum((0, 2, 3))
        return grad_input, grad_weight, grad_bias, None, None, None


class Linear(torch.nn.Module):
    def __init__(self, fan_in, fan_out, fa):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.empty(fan_out, fan_in))
        self.bias = torch.nn.Parameter(torch.zeros(fan_out))
        torch.nn.init.xavier_uniform_(self.weight)
        self.fa = fa
        if fa:
            self.register_buffer("feedback", torch.nn.init.xavier_uniform_(torch.empty(fan_out, fan_in)))

    def forward(self, x):
        if self.fa:
            return LinearFA.apply(x, self.weight, self.bias, self.feedback)
        return F.linear(x, self.weight, self.bias)


class Conv2d(torch.nn.Module):
    def __init__(self, c_in, c_out, k, stride, padding, fa):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.nn.init.xavier_uniform_(torch.empty(c_out, c_in, k, k)))
        self.bias = torch.nn.Parameter(torch.zeros(c_out))
        self.stride, self.padding, self.fa = stride, padding, fa
        if fa:
            self.register_buffer("feedback", torch.nn.init.xavier_uniform_(torch.empty(c_out, c_in, k, k)))

    def forward(self, x):
        if self.fa:
            return Conv2dFA.apply(x, self.weight, self.bias, self.feedback, self.stride, self.padding)
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding)


def mlp(widths, fa):
    layers = [Linear(a, b, fa) for a, b in zip(widths[:-1], widths[1:])]
    return torch.nn.Sequential(*[m for layer in layers[:-1] for m in (layer, torch.nn.ReLU())], layers[-1]), \
        (1, widths[0])


def cnn(fa):
    # falab's cnn: per channel entry conv 3x3 (padding 1), ReLU, 2x2 max-pool; flatten; 256-256; head
    return torch.nn.Sequential(
        Conv2d(1, 32, 3, 1, 1, fa), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        Conv2d(32, 64, 3, 1, 1, fa), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        Linear(64 * 7 * 7, 256, fa), torch.nn.ReLU(), Linear(256, 256, fa), torch.nn.ReLU(),
        Linear(256, 10, fa)), (1, 28, 28)


class Block(torch.nn.Module):
    def __init__(self, c_in, c_out, stride, fa):
        super().__init__()
        self.conv1, self.norm1 = Conv2d(c_in, c_out, 3, stride, 1, fa), torch.nn.BatchNorm2d(c_out)
        self.conv2, self.norm2 = Conv2d(c_out, c_out, 3, 1, 1, fa), torch.nn.BatchNorm2d(c_out)
        self.shortcut = None
        if stride != 1 or c_in != c_out:
            self.shortcut = torch.nn.Sequential(Conv2d(c_in, c_out, 1, stride, 0, fa), torch.nn.BatchNorm2d(c_out))

    def forward(self, x):
        main = self.norm2(self.conv2(F.relu(self.norm1(self.conv1(x)))))
        return F.relu(main + (x if self.shortcut is None else self.shortcut(x)))


class ResNet18(torch.nn.Module):
    # falab's resnet18: CIFAR stem (3x3, no max-pool), 4 stages of 2 BasicBlocks, projection shortcuts, batch norm
    def __init__(self, fa):
        super().__init__()
        self.stem, self.stem_norm = Conv2d(3, 64, 3, 1, 1, fa), torch.nn.BatchNorm2d(64)
        blocks, c_in = [], 64
        for c_out, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
            blocks += [Block(c_in, c_out, stride, fa), Block(c_out, c_out, 1, fa)]
            c_in = c_out
        self.blocks = torch.nn.Sequential(*blocks)
        self.fc = Linear(512, 10, fa)

    def forward(self, x):
        h = self.blocks(F.relu(self.stem_norm(self.stem(x))))
        return self.fc(h.mean((2, 3)))


def newton_schulz5(g):
    x = g.t() if g.shape[0] > g.shape[1] else g
    x = x / (x.norm() + 1e-7)
    for _ in range(5):
        a = x @ x.t()
        x = 3.4445 * x + (-4.7750 * a + 2.0315 * a @ a) @ x
    return x.t() if g.shape[0] > g.shape[1] else x


class Muon(torch.optim.Optimizer):
    def __init__(self, params, lr, beta=0.95):
        super().__init__(params, dict(lr=lr, beta=beta))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                g = p.grad
                state = self.state[p]
                if not state:
                    state["m"] = torch.zeros_like(p)
                m = state["m"]
                m.mul_(group["beta"]).add_(g, alpha=1 - group["beta"])
                u = g.mul(1 - group["beta"]).add_(m, alpha=group["beta"])
                rows, cols = p.shape[0], p.numel() // p.shape[0]
                o = newton_schulz5(u.reshape(rows, cols)) * math.sqrt(max(1.0, rows / cols))
                p.sub_(o.reshape(p.shape), alpha=group["lr"])


def optimisers(model, optimizer):
    if optimizer == "sgd":
        return [torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)]
    weights = [m.weight for m in model.modules() if isinstance(m, (Linear, Conv2d))]
    hidden = {id(w) for w in weights[1:-1]}
    muon = [p for p in model.parameters() if id(p) in hidden]
    rest = [p for p in model.parameters() if id(p) not in hidden]
    return [Muon(muon, lr=0.02), torch.optim.AdamW(rest, lr=3e-4, betas=(0.9, 0.95), eps=1e-10, weight_decay=0)]


def main():
    model_name, method, optimizer = sys.argv[1], sys.argv[2], sys.argv[3]
    batch, warmup, steps, threads = (int(a) for a in sys.argv[4:8])
    device = torch.device(sys.argv[8] if len(sys.argv) > 8 else "cpu")
    warmup_seconds = float(sys.argv[9]) if len(sys.argv) > 9 else 0.0
    if method not in ("bp", "fa") or optimizer not in ("sgd", "muon"):
        raise SystemExit("the reference covers bp and fa with sgd or muon")
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    fa = method == "fa"
    if model_name.startswith("mlp:"):
        model, shape = mlp([int(w) for w in model_name[4:].split(",")], fa)
    elif model_name == "cnn":
        model, shape = cnn(fa)
    elif model_name == "resnet18":
        model, shape = ResNet18(fa), (3, 32, 32)
    else:
        raise SystemExit("unknown model " + model_name)
    model.to(device).train()
    opts = optimisers(model, optimizer)
    n = batch * 4
    x = torch.randn(n, *shape)
    if len(shape) == 2:
        x = x.reshape(n, shape[1])
    x = x.to(device)
    y = torch.randint(0, 10, (n,)).to(device)
    # a shuffled epoch's batches, gathered at each step as a training loop does (falab's side gathers too)
    order = torch.randperm(n, device=device)
    ms = []
    # as falab's side: WARMUP steps, and more until WARMUP_SECONDS have passed
    warmed_at = time.perf_counter() + warmup_seconds
    warmup_steps = None  # set when the timed steps begin
    s = 0
    while len(ms) < steps:
        if warmup_steps is None and s >= warmup and time.perf_counter() >= warmed_at:
            warmup_steps = s
        lo = (s % 4) * batch
        t0 = time.perf_counter_ns()
        rows = order[lo:lo + batch]
        for opt in opts:
            opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x[rows]), y[rows])
        loss.backward()
        for opt in opts:
            opt.step()
        loss.item()
        if warmup_steps is not None:
            ms.append(round((time.perf_counter_ns() - t0) / 1e6, 4))
        s += 1
    print("BENCH " + json.dumps({"side": "pytorch", "version": "PyTorch " + torch.__version__ + " (Python "
                                 + sys.version.split()[0] + ")", "threads": threads, "device": str(device),
                                 "warmupSteps": warmup_steps, "stepsMs": ms}))


if __name__ == "__main__":
    main()
