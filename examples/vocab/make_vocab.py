#!/usr/bin/env python3
"""Writes a realistic large-vocabulary example for examples/vocab/vocab.yaml.

    python3 examples/vocab/make_vocab.py          # needs numpy; about 150,000 tokens

Writes next to this script (fixed seed, so the files are the same every time):
  vocab.txt     one token label per line (150,000 lines)
  chat.npy      a chat model's next-token probabilities, float32 (as models output them)
  math.npy      a math model's next-token log-probabilities, float64, nucleus-truncated
                (tokens outside its top-p = 0.999 nucleus are -inf: probability zero)
  code.npy      a code model's next-token log-probabilities, float64
  rewards.npy   a verifier's reward per token, float64

The distributions are Zipf-like (a few tokens carry most of the mass, a long tail carries the
rest), the three models share most of their ranking, and each favours its own kind of token.

From real models instead (a few lines with transformers and torch):

    import numpy, torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    tok = AutoTokenizer.from_pretrained("Qwen/Qwen2.5-0.5B-Instruct")
    ids = tok("Solve 12 * 7 =", return_tensors="pt").input_ids
    for name, model_id in [("chat", "Qwen/Qwen2.5-0.5B-Instruct"), ("math", "Qwen/Qwen2.5-Math-1.5B")]:
        model = AutoModelForCausalLM.from_pretrained(model_id)
        logits = model(ids).logits[0, -1].double()          # the next token's logits
        numpy.save(f"{name}.npy", torch.log_softmax(logits, -1).numpy())   # then use logprobs:
    with open("vocab.txt", "w") as f:                       # one label per token id
        f.writelines(repr(tok.convert_ids_to_tokens(i))[1:-1] + "\\n" for i in range(len(logits)))

(The models must share the tokenizer; cut every array to the same length, and make the labels
unique and non-empty, as repr does above.)
"""
import os
import numpy as np

N = 150_000
HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20250203)

# Token labels: word pieces, digits and symbols, unique and without whitespace.
letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
labels, seen = [], set()
special = ["<eos>", "<pad>", "\\n", "=", "84", "42", "Therefore", "answer", "def", "return", "print("]
for s in special:
    labels.append(s)
    seen.add(s)
while len(labels) < N:
    length = int(rng.integers(2, 9))
    word = "".join(rng.choice(letters, length))
    word = ("▁" + word) if rng.random() < 0.6 else word
    if rng.random() < 0.05:
        word = str(int(rng.integers(0, 100000)))
    if word not in seen:
        seen.add(word)
        labels.append(word)
labels = labels[:N]
is_digit = np.array([l.isdigit() for l in labels])
is_code = np.array([l in ("def", "return", "print(") or l.endswith("(") for l in labels])

# A shared Zipf-like base ranking, then each model's own preferences.
rank = rng.permutation(N) + 1
base = -1.1 * np.log(rank) + 0.5 * rng.standard_normal(N)

def log_softmax(x):
    x = x - x.max()
    return x - np.log(np.exp(x).sum())

chat = log_softmax(base + 0.8 * rng.standard_normal(N) + 3.0 * np.isin(labels, ["Therefore", "answer"]))
math = base + 0.8 * rng.standard_normal(N) + 2.0 * is_digit + 6.0 * np.isin(labels, ["84", "="])
math = log_softmax(math)
order = np.argsort(-math)
cut = np.searchsorted(np.cumsum(np.exp(math[order])), 0.999) + 1
math[order[cut:]] = -np.inf                        # nucleus truncation: these are zeros
math = log_softmax(math)
code = log_softmax(base + 0.8 * rng.standard_normal(N) + 4.0 * is_code)

# A verifier's reward: the correct answer 84 scores 1, other numbers 0, the rest a little below.
rewards = np.where(is_digit, 0.0, -0.2) + 0.05 * rng.standard_normal(N)
rewards[labels.index("84")] = 1.0
rewards[labels.index("Therefore")] = 0.4

chat_probs = np.exp(chat)
chat_probs = (chat_probs / chat_probs.sum()).astype(np.float32)

with open(os.path.join(HERE, "vocab.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(labels) + "\n")
np.save(os.path.join(HERE, "chat.npy"), chat_probs)
np.save(os.path.join(HERE, "math.npy"), math)
np.save(os.path.join(HERE, "code.npy"), code)
np.save(os.path.join(HERE, "rewards.npy"), rewards.astype(np.float64))
print(f"wrote {N} tokens: vocab.txt, chat.npy, math.npy ({N - cut} zeros), code.npy, rewards.npy in {HERE}")
