#!/usr/bin/python3
"""Reference HRNet pose network in PyTorch for posestream's golden test.

Written for this project from the description in Sun et al. (CVPR 2019) and the module layout of the official
deep-high-resolution-net.pytorch code, so that its state_dict has the official names and shapes (e.g.
stage2.0.fuse_layers.0.1.0.weight). It makes random weights with non-trivial batch-norm statistics, saves them in
both torch.save formats, and writes the heatmaps for a fixed input, all in NHWC float32 little-endian raw files:

  hrnet_reference.py OUT_DIR --arch hrnet-w32 --input 256x192 [--seed N] [--count-only]

Files: checkpoint-zip.pth, checkpoint-legacy.pth (PyTorch >= 1.6 zip format and the legacy pickle format; the
legacy one also carries the 'module.' prefix a DataParallel model adds), bad-missing.pth, bad-unexpected.pth,
bad-shape.pth (one defect each: two keys missing, one key too many, a 16-joint final layer), input.f32 [N,H,W,3] RGB 0..255,
heatmaps.f32 [N,H/4,W/4,17], params.txt (trainable parameter count), done.txt last. With --count-only it
writes counts.txt only: per arch and official input size, trainable parameters and convolution multiply-accumulates
per crop.
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn

WIDTHS = {"hrnet-w32": 32, "hrnet-w48": 48}
EPS = 1e-5


def bn(c):
    return nn.BatchNorm2d(c, eps=EPS)


def conv3(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 3, stride, 1, bias=False)


class Basic(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1, self.bn1 = conv3(c, c), bn(c)
        self.conv2, self.bn2 = conv3(c, c), bn(c)

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(y)) + x)


class Bottle(nn.Module):
    def __init__(self, cin, planes):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, planes, 1, bias=False), bn(planes)
        self.conv2, self.bn2 = conv3(planes, planes), bn(planes)
        self.conv3, self.bn3 = nn.Conv2d(planes, planes * 4, 1, bias=False), bn(planes * 4)
        self.downsample = None
        if cin != planes * 4:
            self.downsample = nn.Sequential(nn.Conv2d(cin, planes * 4, 1, bias=False), bn(planes * 4))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = torch.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return torch.relu(y + (x if self.downsample is None else self.downsample(x)))


class Up(nn.Module):
    """1x1 conv + BN from a lower-resolution branch, then nearest upsampling by 2^(j-i)."""

    def __init__(self, cin, cout, factor):
        super().__init__()
        self.add_module("0", nn.Conv2d(cin, cout, 1, bias=False))
        self.add_module("1", bn(cout))
        self.factor = factor

    def forward(self, x):
        y = getattr(self, "1")(getattr(self, "0")(x))
        return nn.functional.interpolate(y, scale_factor=self.factor, mode="nearest")


def down_chain(cin, cout, steps):
    """steps stride-2 3x3 conv + BN; ReLU after all but the last, channels change only in the last."""
    units = []
    for k in range(steps):
        last = k == steps - 1
        layers = [conv3(cin, cout if last else cin, 2), bn(cout if last else cin)]
        if not last:
            layers.append(nn.ReLU())
        units.append(nn.Sequential(*layers))
    return nn.Sequential(*units)


class Module(nn.Module):
    def __init__(self, chans, multi_scale):
        super().__init__()
        n = len(chans)
        self.branches = nn.ModuleList(nn.Sequential(*[Basic(c) for _ in range(4)]) for c in chans)
        fuse = []
        for i in range(n if multi_scale else 1):
            row = []
            for j in range(n):
                if j > i:
                    row.append(Up(chans[j], chans[i], 2 ** (j - i)))
                elif j == i:
                    row.append(None)
                else:
                    row.append(down_chain(chans[j], chans[i], i - j))
            fuse.append(nn.ModuleList(row))
        self.fuse_layers = nn.ModuleList(fuse)

    def forward(self, xs):
        xs = [b(x) for b, x in zip(self.branches, xs)]
        out = []
        for i, row in enumerate(self.fuse_layers):
            y = None
            for j, x in enumerate(xs):
                t = x if row[j] is None else row[j](x)
                y = t if y is None else y + t
            out.append(torch.relu(y))
        return out


def transition(pre, cur):
    layers = []
    for i, c in enumerate(cur):
        if i < len(pre):
            layers.append(None if c == pre[i] else nn.Sequential(conv3(pre[i], c), bn(c), nn.ReLU()))
        else:
            steps = []
            for k in range(i + 1 - len(pre)):
                cout = c if k == i - len(pre) else pre[-1]
                steps.append(nn.Sequential(conv3(pre[-1], cout, 2), bn(cout), nn.ReLU()))
            layers.append(nn.Sequential(*steps))
    return nn.ModuleList(layers)


class HRNet(nn.Module):
    def __init__(self, width, joints=17):
        super().__init__()
        self.conv1, self.bn1 = conv3(3, 64, 2), bn(64)
        self.conv2, self.bn2 = conv3(64, 64, 2), bn(64)
        self.layer1 = nn.Sequential(Bottle(64, 64), Bottle(256, 64), Bottle(256, 64), Bottle(256, 64))
        c2, c3, c4 = [width, 2 * width], [width, 2 * width, 4 * width], [width, 2 * width, 4 * width, 8 * width]
        self.transition1 = transition([256], c2)
        self.stage2 = nn.Sequential(Module(c2, True))
        self.transition2 = transition(c2, c3)
        self.stage3 = nn.Sequential(*[Module(c3, True) for _ in range(4)])
        self.transition3 = transition(c3, c4)
        self.stage4 = nn.Sequential(Module(c4, True), Module(c4, True), Module(c4, False))
        self.final_layer = nn.Conv2d(width, joints, 1)

    @staticmethod
    def _next(trans, ys):
        # New branches grow from the lowest-resolution output of the previous stage.
        return [(ys[i] if t is None else t(ys[i] if i < len(ys) else ys[-1])) for i, t in enumerate(trans)]

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.bn2(self.conv2(x)))
        x = self.layer1(x)
        ys = self.stage2(self._next(self.transition1, [x]))
        ys = self.stage3(self._next(self.transition2, ys))
        ys = self.stage4(self._next(self.transition3, ys))
        return self.final_layer(ys[0])


def randomise(model, gen):
    """Random weights whose activations stay O(1), with batch-norm statistics far from the identity."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            fan_in = m.in_channels * m.kernel_size[0] * m.kernel_size[1]
            m.weight.data = torch.randn(m.weight.shape, generator=gen) * (1.0 / fan_in) ** 0.5
            if m.bias is not None:
                m.bias.data = torch.randn(m.bias.shape, generator=gen) * 0.1
        elif isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = 0.5 + 0.5 * torch.rand(c, generator=gen)
            m.bias.data = 0.2 * torch.randn(c, generator=gen)
            m.running_mean.data = 0.3 * torch.randn(c, generator=gen)
            m.running_var.data = 0.5 + 1.5 * torch.rand(c, generator=gen)
            m.num_batches_tracked.fill_(1234)
    # Heatmaps of a few units, like a trained model's, so the absolute tolerance means something.
    model.final_layer.weight.data /= 16.0


def with_views(state):
    """Stores some tensors as views (storage offsets, transposed strides, one shared storage), as real
    checkpoints may, so the reader's offset and stride handling is exercised."""
    state = dict(state)
    w = state["final_layer.weight"]  # [K, C, 1, 1]
    k, c = w.shape[0], w.shape[1]
    big = torch.zeros(c + 7, k)
    big[5:5 + c] = w.reshape(k, c).t()
    state["final_layer.weight"] = big[5:5 + c].t().unsqueeze(-1).unsqueeze(-1)  # offset 5*K, strides (1, K, ..)
    mean, var = state["bn1.running_mean"], state["bn1.running_var"]
    shared = torch.cat([torch.zeros(3), mean, var])
    state["bn1.running_mean"] = shared[3:3 + mean.numel()]
    state["bn1.running_var"] = shared[3 + mean.numel():]
    return state


def write_counts(path):
    """Trainable parameters and convolution multiply-accumulates per crop, for every arch and official size."""
    with open(path, "w") as f:
        for arch, width in sorted(WIDTHS.items()):
            model = HRNet(width).eval()
            params = sum(t.numel() for t in model.parameters())
            for h, w in ((256, 192), (384, 288)):
                macs = [0]

                def count(mod, inp, out):
                    kh, kw = mod.kernel_size
                    macs[0] += out[0].numel() * mod.in_channels * kh * kw // mod.groups

                hooks = [m.register_forward_hook(count) for m in model.modules() if isinstance(m, nn.Conv2d)]
                with torch.no_grad():
                    model(torch.zeros(1, 3, h, w))
                for hook in hooks:
                    hook.remove()
                f.write("%s %dx%d %d %d\n" % (arch, h, w, params, macs[0]))
    print(open(path).read().strip())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--arch", default="hrnet-w32", choices=sorted(WIDTHS))
    p.add_argument("--input", default="256x192")
    p.add_argument("--seed", type=int, default=20190615)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--count-only", action="store_true")
    a = p.parse_args()
    h, w = (int(v) for v in a.input.split("x"))
    os.makedirs(a.out, exist_ok=True)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    if a.count_only:
        write_counts(os.path.join(a.out, "counts.txt"))
        return
    model = HRNet(WIDTHS[a.arch]).eval()
    params = sum(t.numel() for t in model.parameters())
    with open(os.path.join(a.out, "params.txt"), "w") as f:
        f.write("%d\n" % params)
    gen = torch.Generator().manual_seed(a.seed)
    randomise(model, gen)
    state = model.state_dict()
    torch.save(with_views(state), os.path.join(a.out, "checkpoint-zip.pth"))
    legacy = {"module." + k: v for k, v in with_views(state).items()}
    torch.save(legacy, os.path.join(a.out, "checkpoint-legacy.pth"), _use_new_zipfile_serialization=False)

    # Checkpoints that do not fit, each with one known defect.
    bad = dict(state)
    del bad["final_layer.bias"], bad["stage4.2.fuse_layers.0.3.0.weight"]
    torch.save(bad, os.path.join(a.out, "bad-missing.pth"))
    bad = dict(state)
    bad["head.extra.weight"] = torch.zeros(3, 3)
    torch.save(bad, os.path.join(a.out, "bad-unexpected.pth"), _use_new_zipfile_serialization=False)
    bad = dict(state)
    bad["final_layer.weight"] = state["final_layer.weight"][:16].clone()  # 16 joints, as an MPII model has
    bad["final_layer.bias"] = state["final_layer.bias"][:16].clone()
    torch.save(bad, os.path.join(a.out, "bad-shape.pth"))

    rgb = torch.rand((a.batch, h, w, 3), generator=gen) * 255.0  # NHWC, RGB 0..255 as the pose contract feeds it
    mean = torch.tensor([0.485, 0.456, 0.406])
    std = torch.tensor([0.229, 0.224, 0.225])
    x = ((rgb / 255.0 - mean) / std).permute(0, 3, 1, 2).contiguous()
    with torch.no_grad():
        heat = model(x).permute(0, 2, 3, 1).contiguous()
    rgb.numpy().astype("<f4").tofile(os.path.join(a.out, "input.f32"))
    heat.numpy().astype("<f4").tofile(os.path.join(a.out, "heatmaps.f32"))
    with open(os.path.join(a.out, "done.txt"), "w") as f:
        f.write("%s %dx%d params %d heatmaps %s absmax %.4f\n"
                % (a.arch, h, w, params, list(heat.shape), heat.abs().max().item()))
    print(open(os.path.join(a.out, "done.txt")).read().strip())


if __name__ == "__main__":
    main()
