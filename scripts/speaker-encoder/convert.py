#!/usr/bin/env python3
"""Resemblyzer's GE2E speaker encoder (PyPI resemblyzer==0.1.4, resemblyzer/pretrained.pt) to ONNX.

    convert.py PRETRAINED_PT OUT_ONNX [--reference JSON]

Needs numpy, onnx and onnxruntime; no torch. The checkpoint is in torch's legacy serialisation: a few
small pickles, the main pickle (tensors as persistent ids naming raw storages), a pickle listing the
storage keys, then each storage as an int64 element count and its little-endian bytes.

Graph: mels float32 [batch, frames, 40] (power mel spectrogram, no log) -> 3 chained single-layer
ONNX LSTMs (hidden 256) -> last layer's final hidden state -> Linear 256->256 -> ReLU -> L2-normalised
over the last axis -> embedding [batch, 256]. The normalisation divides by max(norm, 1e-12) where
torch would divide by zero (an all-zero ReLU output): the only place the two can differ.

The converter checks itself: an independent float64 numpy forward pass written from the PyTorch
LSTM equations (its own gate order i, f, g, o) must match onnxruntime on a fixed input within 1e-4,
else it exits 1 and writes nothing. --reference also writes the fixture for voxdeck's Rust test
(tests/fixtures/speaker/reference.json): that input's recipe and the numpy embeddings, and a mel
spectrogram of a fixed waveform computed like librosa.feature.melspectrogram (see mel_reference).
The output bytes depend only on the checkpoint's bytes (weights are copied, never recomputed).
"""

import argparse
import collections
import json
import os
import pickle
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
N_MELS, HIDDEN, LAYERS, EMBED = 40, 256, 3, 256
TOLERANCE = 1e-4
DTYPES = {"FloatStorage": np.float32, "DoubleStorage": np.float64, "LongStorage": np.int64,
          "IntStorage": np.int32, "HalfStorage": np.float16}


def fail(message):
    print(f"speaker-encoder convert: {message}", file=sys.stderr)
    sys.exit(1)


# ---- reading torch's legacy format -----------------------------------------------------------------
class _TensorRef:
    """A tensor whose storage bytes come after the main pickle: resolved once they are read."""

    def __init__(self, key, offset, size, stride):
        self.key, self.offset, self.size, self.stride = key, offset, tuple(size), tuple(stride)


def load_legacy_checkpoint(path):
    storages = {}  # key -> [dtype, element count, array once read]

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) == ("collections", "OrderedDict"):
                return collections.OrderedDict
            if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
                return lambda storage, offset, size, stride, *_: _TensorRef(storage, offset, size, stride)
            if module == "torch" and name in DTYPES:
                return DTYPES[name]
            raise pickle.UnpicklingError(f"unexpected class {module}.{name} in the checkpoint")

        def persistent_load(self, pid):
            kind, dtype, key, _location, numel, view = pid
            if kind != "storage" or view is not None:
                raise pickle.UnpicklingError(f"unsupported persistent id {pid!r}")
            storages.setdefault(key, [dtype, numel, None])
            return key

    with open(path, "rb") as f:
        if pickle.load(f) != LEGACY_MAGIC:
            fail(f"{path} is not a legacy torch checkpoint (magic number differs)")
        if pickle.load(f) != 1001:
            fail(f"{path}: unsupported torch protocol version")
        if not pickle.load(f).get("little_endian", False):
            fail(f"{path}: big-endian checkpoint")
        root = Unpickler(f).load()
        for key in pickle.load(f):
            dtype, numel, _ = storages[key]
            count = int.from_bytes(f.read(8), "little")
            if count != numel:
                fail(f"{path}: storage {key} holds {count} elements, the pickle said {numel}")
            raw = f.read(count * np.dtype(dtype).itemsize)
            storages[key][2] = np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<"), count=count)

    def tensor(ref):
        data = storages[ref.key][2]
        item = data.itemsize
        view = np.lib.stride_tricks.as_strided(
            data[ref.offset:], shape=ref.size, strides=[s * item for s in ref.stride])
        return np.array(view, dtype=data.dtype.newbyteorder("="))

    return {name: tensor(ref) for name, ref in root["model_state"].items()}


def checked_weights(state):
    want = {"linear.weight": (EMBED, HIDDEN), "linear.bias": (EMBED,)}
    for layer in range(LAYERS):
        want[f"lstm.weight_ih_l{layer}"] = (4 * HIDDEN, N_MELS if layer == 0 else HIDDEN)
        want[f"lstm.weight_hh_l{layer}"] = (4 * HIDDEN, HIDDEN)
        want[f"lstm.bias_ih_l{layer}"] = (4 * HIDDEN,)
        want[f"lstm.bias_hh_l{layer}"] = (4 * HIDDEN,)
    for name, shape in want.items():
        if name not in state:
            fail(f"checkpoint lacks {name}")
        if state[name].shape != shape or state[name].dtype != np.float32:
            fail(f"{name}: {state[name].dtype} {state[name].shape}, expected float32 {shape}")
        if not np.all(np.isfinite(state[name])):
            fail(f"{name} holds non-finite values")
    return {name: state[name] for name in want}


# ---- the ONNX graph --------------------------------------------------------------------------------
def onnx_gates(w):
    """PyTorch stacks gate blocks as i, f, g(cell), o; ONNX LSTM wants i, o, f, c."""
    i, f, g, o = np.split(w, 4, axis=0)
    return np.concatenate([i, o, f, g], axis=0)


def build_model(w):
    inits, nodes = [], []

    def const(name, array):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    nodes.append(helper.make_node("Transpose", ["mels"], ["x0"], perm=[1, 0, 2]))  # [frames, batch, 40]
    x = "x0"
    for layer in range(LAYERS):
        W = const(f"W{layer}", onnx_gates(w[f"lstm.weight_ih_l{layer}"])[None])
        R = const(f"R{layer}", onnx_gates(w[f"lstm.weight_hh_l{layer}"])[None])
        B = const(f"B{layer}", np.concatenate([onnx_gates(w[f"lstm.bias_ih_l{layer}"]),
                                               onnx_gates(w[f"lstm.bias_hh_l{layer}"])])[None])
        last = layer == LAYERS - 1
        outputs = ["", f"h{layer}"] if last else [f"y{layer}"]
        nodes.append(helper.make_node("LSTM", [x, W, R, B], outputs, hidden_size=HIDDEN, name=f"lstm{layer}"))
        if not last:  # Y is [frames, 1 direction, batch, hidden]
            nodes.append(helper.make_node("Squeeze", [f"y{layer}", const(f"axis1_{layer}", np.array([1]))],
                                          [f"x{layer + 1}"]))
            x = f"x{layer + 1}"
    nodes += [
        helper.make_node("Squeeze", [f"h{LAYERS - 1}", const("axis0", np.array([0]))], ["hidden"]),
        helper.make_node("Gemm", ["hidden", const("linear_w", w["linear.weight"]),
                                  const("linear_b", w["linear.bias"])], ["linear"], transB=1),
        helper.make_node("Relu", ["linear"], ["raw"]),
        helper.make_node("ReduceL2", ["raw"], ["norm"], axes=[-1], keepdims=1),  # attribute until opset 18
        helper.make_node("Max", ["norm", const("eps", np.array([1e-12], np.float32))], ["safe_norm"]),
        helper.make_node("Div", ["raw", "safe_norm"], ["embedding"]),
    ]
    graph = helper.make_graph(
        nodes, "ge2e_speaker_encoder",
        [helper.make_tensor_value_info("mels", TensorProto.FLOAT, ["batch", "frames", N_MELS])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", EMBED])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="voxdeck-speaker-encoder", producer_version="1")
    model.ir_version = 8
    model.doc_string = "Resemblyzer 0.1.4 GE2E voice encoder (pretrained.pt); input: power mel, 16 kHz, 40 bands"
    onnx.checker.check_model(model, full_check=True)
    return model


# ---- the independent reference ---------------------------------------------------------------------
def numpy_forward(w, mels):
    """The PyTorch modules' maths in float64: nn.LSTM(40, 256, 3, batch_first=True), Linear, ReLU, L2."""
    sigmoid = lambda v: 1.0 / (1.0 + np.exp(-v))
    x = mels.astype(np.float64)
    batch, frames, _ = x.shape
    for layer in range(LAYERS):
        W_ih = w[f"lstm.weight_ih_l{layer}"].astype(np.float64)
        W_hh = w[f"lstm.weight_hh_l{layer}"].astype(np.float64)
        b = (w[f"lstm.bias_ih_l{layer}"] + 0.0).astype(np.float64) + w[f"lstm.bias_hh_l{layer}"].astype(np.float64)
        h = np.zeros((batch, HIDDEN))
        c = np.zeros((batch, HIDDEN))
        out = np.empty((batch, frames, HIDDEN))
        for t in range(frames):
            gates = x[:, t] @ W_ih.T + h @ W_hh.T + b
            i, f, g, o = np.split(gates, 4, axis=1)
            c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
            h = sigmoid(o) * np.tanh(c)
            out[:, t] = h
        x = out
    raw = np.maximum(h @ w["linear.weight"].astype(np.float64).T + w["linear.bias"], 0.0)
    return raw / np.linalg.norm(raw, axis=1, keepdims=True)


def reference_mels(batch=2, frames=160):
    """Exactly representable in float32, so Rust rebuilds the same input: k / 256 with k in [0, 1024)."""
    b, t, m = np.meshgrid(np.arange(batch), np.arange(frames), np.arange(N_MELS), indexing="ij")
    k = (b * 7919 + t * 104729 + m * 1299709 + (t * m) % 97) % 1024
    return (k / 256.0).astype(np.float32)


# ---- the front end's reference (librosa.feature.melspectrogram, re-derived) ---------------------------
SR, N_FFT, HOP = 16000, 400, 160


def slaney_mel_filterbank():
    """librosa.filters.mel(sr=16000, n_fft=400, n_mels=40, fmin=0, fmax=8000, htk=False, norm='slaney')."""
    f_sp, min_log_hz, min_log_mel, logstep = 200.0 / 3, 1000.0, 15.0, np.log(6.4) / 27.0
    hz_to_mel = lambda f: f / f_sp if f < min_log_hz else min_log_mel + np.log(f / min_log_hz) / logstep
    mel_to_hz = lambda m: np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SR / 2), N_MELS + 2))
    fft_f = np.linspace(0, SR / 2, 1 + N_FFT // 2)
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_f[None, :]
    weights = np.zeros((N_MELS, len(fft_f)))
    for i in range(N_MELS):
        weights[i] = np.maximum(0, np.minimum(-ramps[i] / fdiff[i], ramps[i + 2] / fdiff[i + 1]))
    return weights * (2.0 / (mel_f[2:N_MELS + 2] - mel_f[:N_MELS]))[:, None]


def mel_spectrogram(wav):
    """Power STFT (periodic Hann 400, hop 160, centred with reflect padding) through the filterbank."""
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)
    padded = np.pad(wav.astype(np.float64), N_FFT // 2, mode="reflect")
    frames = 1 + len(wav) // HOP
    stft = np.stack([np.fft.rfft(padded[t * HOP:t * HOP + N_FFT] * window) for t in range(frames)])
    return (np.abs(stft) ** 2) @ slaney_mel_filterbank().T  # [frames, 40]


def reference_wave(n=4800):
    """A fixed 0.3 s test signal Rust rebuilds sample for sample: two tones and a sawtooth-ish ripple."""
    t = np.arange(n)
    return (0.3 * np.sin(2 * np.pi * 220 * t / SR) + 0.2 * np.sin(2 * np.pi * 1830 * t / SR)
            + 0.05 * ((t * 37) % 101 / 50.0 - 1.0)).astype(np.float32)


# ---- main ------------------------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pretrained")
    parser.add_argument("out")
    parser.add_argument("--reference", help="also write the Rust test's fixture (JSON) here")
    args = parser.parse_args()

    try:
        state = load_legacy_checkpoint(args.pretrained)
    except (OSError, EOFError, KeyError, TypeError, ValueError, pickle.UnpicklingError) as e:
        fail(f"cannot read {args.pretrained} as a legacy torch checkpoint: {type(e).__name__}: {e}")
    weights = checked_weights(state)
    model = build_model(weights)
    data = model.SerializeToString(deterministic=True)

    import onnxruntime as ort
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    mels = reference_mels()
    got = session.run(["embedding"], {"mels": mels})[0]
    want = numpy_forward(weights, mels)
    worst = float(np.max(np.abs(got - want)))
    if not worst <= TOLERANCE:
        fail(f"onnxruntime and the numpy forward pass differ by {worst:.3g} (> {TOLERANCE}); nothing written")

    part = f"{args.out}.part.{os.getpid()}"
    with open(part, "wb") as f:
        f.write(data)
    os.replace(part, args.out)
    print(f"wrote {args.out} ({len(data)} bytes); onnxruntime vs numpy: max |diff| {worst:.2e}")

    if args.reference:
        wave = reference_wave()
        fixture = {
            "about": "Written by scripts/speaker-encoder/convert.py --reference; see tests/qa.rs",
            "encoder": {
                "input": "mels[b][t][m] = ((b*7919 + t*104729 + m*1299709 + (t*m) % 97) % 1024) / 256",
                "batch": int(mels.shape[0]), "frames": int(mels.shape[1]), "mels": N_MELS,
                "embeddings": [[round(float(v), 8) for v in row] for row in want],
            },
            "mel": {
                "input": "x[n] = 0.3 sin(2 pi 220 n/16000) + 0.2 sin(2 pi 1830 n/16000) + 0.05 ((n*37 % 101)/50 - 1), as f32",
                "samples": len(wave),
                "frames": [[float(np.float32(v)) for v in row] for row in mel_spectrogram(wave)],
            },
        }
        with open(args.reference, "w") as f:
            json.dump(fixture, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
