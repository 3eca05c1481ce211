"""Chapter 06 — AttentionHead: tokens that look back at each other.

Until now every position was handled alone. Attention lets position t gather
information from positions 0..t. Each position makes three vectors from its
input x (B, T, C), each with its own learnable, bias-free linear layer:

    query  "what am I looking for?"       q = query_fc(x)   (B, T, H)
    key    "what do I contain?"           k = key_fc(x)     (B, T, H)
    value  "what do I hand over?"         v = value_fc(x)   (B, T, H)

How much position t attends to position s is the dot product of t's query
with s's key:

    scores = q @ k.transpose(-2, -1) * H ** -0.5           (B, T, T)

Why the scale H ** -0.5: a dot product of H random numbers of variance 1 has
variance H. Without the scale the scores grow with the head size, the
softmax saturates into a one-hot choice, and gradients vanish. The scale is
the *head* size H, not the embedding size C.

Why the mask: when training on "First Citizen", position 2 predicts the 4th
character. If it could attend to positions 3, 4, ... it would read the answer.
So scores above the diagonal (the future) are set to -inf before the
softmax, which turns them into weights of exactly 0:

    weights = softmax(masked scores, dim=-1)              (B, T, T), rows sum to 1
    weights = dropout(weights)                            only in training
    out     = weights @ v                                  (B, T, H)

Three details that decide whether it works:

* mask *before* the softmax. Zeroing weights after it leaves rows that no
  longer sum to 1, and the future still shapes them through the softmax's
  denominator. Filling with 0 instead of -inf does not hide anything either:
  exp(0) = 1. (A very negative number such as -1e9 works as well as -inf.)
* keep the diagonal: position t may look at itself. Masking it too leaves
  row 0 with nothing to attend to, and the softmax of all -inf is NaN.
* the softmax runs over the last dimension, the keys s, so that each row t
  is a set of weights over the positions t may see.

The mask is a lower-triangular matrix made once for the longest block and
stored with ``register_buffer`` (it moves with ``.to(device)`` but is not
trained, and it is not a parameter). A shorter input of length T uses its
top-left (T, T) corner: ``tril[:T, :T]``. Building the mask on the fly in
``forward`` is fine too.

Dropout here acts on the attention *weights*, not on the output: in
training it makes each position ignore a random few of the positions it
sees. Use the module ``self.dropout`` (``nn.Dropout``), which ``eval()``
switches off; the tests read the attention weights as they pass through it.

Tutorial: Everyone's nanoGPT, Chapter 06 "AttentionHead": Sections 2-8 (keys,
queries, values, scores, scaling, the mask, softmax, dropout, the weighted
sum), one step or more each in this file's order, and 10 (Define a class). The tutorial's answer builds the mask inside
``forward`` with ``torch.triu(..., diagonal=1)``; its later chapters use the
``tril`` buffer, as here. Both pass.
"""

import torch
from torch import nn
from torch.nn import functional as F

# ---------------------------------------------------------------- Section 2: self-attention, by hand


def dot_product_weights(query, keys):
    """How much one query matches every key: one dot product per key.

    query: (H,), keys: (T, H)  ->  weights (T,), weights[s] = query · keys[s]

    A larger dot product means the two vectors point the same way: the word
    whose key matches the query gets more weight.

    Tutorial: Chapter 06, Section 2. With the rows I = [1, 0, 2],
    love = [2, 0, 1], you = [2, 1, 0] as keys, I's query [1, 0, 2] gives the
    weights w1, w2, w3 = 5, 4, 2.
    """
    # BEGIN SOLUTION
    return keys @ query  # (T, H) @ (H,) -> (T,)
    # END SOLUTION


def weighted_sum(weights, values):
    """Mix the value vectors, each multiplied by its weight.

    weights: (T,), values: (T, H)  ->  (H,) = sum over s of weights[s] * values[s]

    This is a word's new, context-dependent vector: made of every word's
    value, in the proportions the weights say.

    Tutorial: Chapter 06, Section 2: from I's view, 5 * I + 4 * love + 2 * you
    = [17, 2, 14].
    """
    # BEGIN SOLUTION
    return weights @ values  # (T,) @ (T, H) -> (H,)
    # END SOLUTION


def self_attention_unscaled(query, key, value):
    """Every word's weighted sum at once: (Q K^T) V.

    query, key, value: (T, H), one row per word  ->  (T, H)

    Q K^T (T, T) holds every query · key dot product: row t is the weights
    of word t. Multiplying by V does every weighted sum in one go. (With a
    batch dimension in front, Section 7 transposes only the last two
    dimensions of the keys: ``transpose(-2, -1)``.)

    Tutorial: Chapter 06, Section 2, check point: with Query = Key = Value =
    [[1, 0, 2], [2, 0, 1], [2, 1, 0]] (I, love, you) the output is
    [[17, 2, 14], [22, 4, 13], [20, 5, 8]].
    """
    # BEGIN SOLUTION
    return (query @ key.T) @ value  # (T, T) @ (T, H)
    # END SOLUTION


# ---------------------------------------------------------------- Section 3: problem 1, dimension scaling


def dot_product_variance(dim, samples, generator):
    """The variance of the dot product of two random vectors of length ``dim``.

    dim:       H, the length of each vector
    samples:   how many (query, key) pairs to draw
    generator: a seeded ``torch.Generator``; draw every random number from it
    returns:   a float, the variance of the ``samples`` dot products

    Draw ``samples`` queries and ``samples`` keys of shape (samples, dim)
    from the standard normal distribution (mean 0, variance 1), take each
    pair's dot product, and return the variance of those numbers. Each
    product of two entries has variance 1 and a dot product sums ``dim`` of
    them, so the answer comes out close to ``dim``: the scores grow with the
    size of the vectors.

    Tutorial: Chapter 06, Section 3 (the quiz: a d-dimensional dot product
    has variance d; 10,000 draws give about 3.99 for d = 4 and 63.99 for
    d = 64).
    """
    # BEGIN SOLUTION
    queries = torch.randn(samples, dim, generator=generator)  # (samples, dim)
    keys = torch.randn(samples, dim, generator=generator)  # (samples, dim)
    dot_products = (queries * keys).sum(dim=-1)  # (samples,)
    return dot_products.var().item()
    # END SOLUTION


def scale_scores(scores, head_size):
    """Divide the scores by sqrt(head_size), so that their variance is about 1 again.

    scores: (..., T, T), head_size: H (an int)  ->  (..., T, T) = scores * H ** -0.5

    The scale is the length of the vectors in each dot product: the head
    size H (d_k in the paper), not the embedding size C.

    Tutorial: Chapter 06, Section 3, check point: the float I/love/you
    scores [[5, 4, 2], [4, 5, 4], [2, 4, 5]] with dk = 3 become
    [[2.89, 2.31, 1.15], [2.31, 2.89, 2.31], [1.15, 2.31, 2.89]].
    """
    # BEGIN SOLUTION
    return scores * head_size**-0.5
    # END SOLUTION


# ---------------------------------------------------------------- Section 4: problem 2, normalisation


def normalise_by_sum(weights):
    """Turn every row of positive weights into proportions: divide by the row's sum.

    weights: (..., T)  ->  (..., T), every row sums to 1

    The first idea for making weights comparable. It breaks down for scores
    that can be negative or zero, which is why attention uses the softmax.

    Tutorial: Chapter 06, Section 4: 5, 4, 2 divided by their sum 11 give
    0.45, 0.36, 0.18.
    """
    # BEGIN SOLUTION
    return weights / weights.sum(dim=-1, keepdim=True)
    # END SOLUTION


def softmax_weights(scores):
    """softmax over the last dimension: exp, then divide by the row's sum.

    scores: (..., T, T)  ->  (..., T, T), every row t sums to 1

    Row t holds what position t gives to each key position s, so each row
    is normalised on its own: the softmax runs over the last dimension
    (dim=-1), the keys. Any score, negative ones included, becomes a
    positive weight.

    Tutorial: Chapter 06, Section 4: 5, 4, 2 become 0.705, 0.259, 0.035; the
    scaled I/love/you scores become
    [[0.58, 0.32, 0.10], [0.26, 0.47, 0.26], [0.10, 0.32, 0.58]].
    """
    # BEGIN SOLUTION
    return F.softmax(scores, dim=-1)
    # END SOLUTION


# ---------------------------------------------------------------- Section 5: problem 3, the mask


def future_mask(sequence_length):
    """The tutorial's mask: 1 above the diagonal (the future), 0 on and below it.

    sequence_length: T  ->  (T, T), mask[t, s] = 1 where s > t

    Row t is the query at position t, column s a key position. Positions
    after t are the future, which t must not see; the diagonal (t itself)
    and the past stay 0. ``torch.triu(..., diagonal=1)`` keeps what lies
    strictly above the diagonal.

    Tutorial: Chapter 06, Section 5: for T = 3,
    [[0, 1, 1], [0, 0, 1], [0, 0, 0]].
    """
    # BEGIN SOLUTION
    return torch.triu(torch.ones(sequence_length, sequence_length), diagonal=1)
    # END SOLUTION


def mask_future(scores):
    """Set every score above the diagonal (the future) to -inf.

    scores: (..., T, T)  ->  same shape, the future at -inf, the rest unchanged

    After the softmax, exp(-inf) = 0: position t gives exactly no weight to
    positions after it. Mask *before* the softmax, and only the future: the
    diagonal stays, position t attends to itself. A very negative number
    such as -1e9 works as well as -inf; 0 does not (exp(0) = 1).

    Tutorial: Chapter 06, Section 5 (``masked_fill(mask == 1, float('-inf'))``):
    the scaled I/love/you scores give, after the softmax,
    [[1.00, 0.00, 0.00], [0.36, 0.64, 0.00], [0.10, 0.32, 0.58]].
    """
    # BEGIN SOLUTION
    T = scores.shape[-1]
    mask = future_mask(T).to(scores.device)  # (T, T)
    return scores.masked_fill(mask == 1, float("-inf"))
    # END SOLUTION


# ---------------------------------------------------------------- Section 6: problem 4, dropout


def inverted_dropout(weights, keep_mask, p):
    """Zero the weights where ``keep_mask`` is False and scale the kept ones by 1 / (1 - p).

    weights:   (..., T, T) attention weights
    keep_mask: same shape, True (or 1) where a weight survives
    p:         the dropout rate, the probability of dropping one weight
    returns:   weights * keep_mask / (1 - p), same shape

    Dropping a fraction p lowers the expected sum by (1 - p); dividing the
    survivors by (1 - p) restores it, so nothing needs rescaling at
    inference, when dropout is off. ``nn.Dropout`` and the tutorial's
    ``DeterministicDropout`` do this with a random ``keep_mask``; here it is
    given, so the result is the same every time.

    Tutorial: Chapter 06, Section 6: with p = 0.1 the survivors are
    multiplied by 10/9; with p = 0.5 they double.
    """
    # BEGIN SOLUTION
    return weights * keep_mask / (1 - p)
    # END SOLUTION


class DeterministicDropout(nn.Module):
    """The tutorial's dropout: ``nn.Dropout`` with its own seeded generator (given, nothing to write).

    p:    the dropout rate, the probability of zeroing one value (the tutorial's default 0.1)
    seed: the seed of the module's own ``torch.Generator`` (the tutorial's default 199)

    In training mode ``forward(x)`` keeps each value where a uniform draw is
    above ``p`` and returns ``x * keep / (1 - p)`` (inverted dropout, as in
    ``inverted_dropout``); in eval mode it returns ``x`` unchanged. It never
    touches the global generator, so its masks are the same on every run and
    do not shift other seeded values; its generator advances with each call.
    The tutorial uses it in chapters 06-11 wherever a module needs dropout,
    ``self.dropout = DeterministicDropout(config.dropout_rate)``, so that its
    printed check points are reproducible; ``nn.Dropout(config.dropout_rate)``
    works as well in every test. Later chapters import it from here.

    Tutorial: Chapter 06, Section 6: a fresh ``DeterministicDropout()``
    applied once to a [1, 8, 8] tensor zeroes (0,5), (3,7), (4,3), (4,6),
    (5,1), (5,2) and (7,2) and multiplies the other 57 values by 1/0.9.
    """

    def __init__(self, p=0.1, seed=199):
        super().__init__()
        self.p = p
        self.generator = torch.Generator().manual_seed(seed)

    def forward(self, x):
        if not self.training:
            return x
        # drawn on the generator's device (the CPU) and moved, so that a model on a GPU works too
        keep = torch.rand(x.shape, generator=self.generator, dtype=x.dtype).to(x.device) > self.p
        return x * keep / (1 - self.p)


# ---------------------------------------------------------------- Section 7: single-head attention


def attention_scores(query, key, head_size):
    """The scaled scores of every query with every key, before the mask.

    query, key: (B, T, H), head_size: H  ->  (B, T, T)

    scores[b, t, s] = query[b, t] · key[b, s] * head_size ** -0.5: the keys
    with their last two dimensions swapped, (B, T, H) @ (B, H, T).

    Tutorial: Chapter 06, Section 7 (``attention_weights_before_mask``), check
    point: for the normalised embeddings of "Let's he" used as query and key
    (head_size = 8) the matrix is symmetric with 2.83 = sqrt(8) on the
    diagonal; row 0 is [2.83, 0.07, -0.47, 0.86, -0.49, -1.10, 1.53, -0.69].
    """
    # BEGIN SOLUTION
    return query @ key.transpose(-2, -1) * head_size**-0.5  # (B, T, T)
    # END SOLUTION


def attend(query, key, value, head_size):
    """Causal attention without projections and without dropout.

    query, key, value: (B, T, H), head_size: H  ->  (B, T, H)

    softmax(mask_future(scores), dim=-1) @ value, with the scores from
    ``attention_scores``: every position t gets a weighted sum of the values
    of positions 0..t.

    Tutorial: Chapter 06, Section 7: for the normalised embeddings of "Let's
    he" the weights are lower triangular with rows summing to 1; row 1 is
    [0.06, 0.94, 0, ...].
    """
    # BEGIN SOLUTION
    scores = attention_scores(query, key, head_size)  # (B, T, T)
    weights = softmax_weights(mask_future(scores))  # (B, T, T)
    return weights @ value  # (B, T, H)
    # END SOLUTION


# ---------------------------------------------------------------- Section 8: projections


def head_size_for(embedding_dim, num_heads):
    """The width of one head: the embedding split evenly between the heads.

    embedding_dim: C, num_heads: the number of heads  ->  an int, C // num_heads

    It must be an int (it sizes ``nn.Linear`` layers and tensors): integer
    division ``//``, or ``int(C / num_heads)`` as the tutorial writes.

    Tutorial: Chapter 06, Section 8: embedding_dim 8 and 2 heads give
    head_size 4.
    """
    # BEGIN SOLUTION
    return embedding_dim // num_heads
    # END SOLUTION


def project(input_tensor, weight):
    """What a bias-free ``nn.Linear`` does: input_tensor @ weight^T.

    input_tensor: (B, T, C), weight: (H, C)  ->  (B, T, H)

    ``nn.Linear(C, H)`` stores its weight as (out, in) = (H, C), so the
    projection multiplies by the transposed weight. Keys, queries and
    values are each such a projection of the same input, with their own
    weight.

    Tutorial: Chapter 06, Section 8: ``key_fc1 = nn.Linear(8, 4, bias=False)``
    has a [4, 8] weight and maps the [1, 8, 8] normalised embeddings to
    ``key_tensor1`` [1, 8, 4]; row 0 is [-0.08, -1.02, 0.13, -0.96].
    """
    # BEGIN SOLUTION
    return input_tensor @ weight.transpose(-2, -1)  # (B, T, C) @ (C, H) -> (B, T, H)
    # END SOLUTION


# ---------------------------------------------------------------- Section 10: Define a class

class AttentionHead(nn.Module):
    """One head of causal (masked) self-attention.

    head_size: H, the width of the queries, keys, values and the output
    config:    needs ``embedding_dim`` (C), ``input_sequence_length`` and
               ``dropout_rate``

    Attributes: ``key_fc``, ``query_fc``, ``value_fc`` (``nn.Linear(C, H,
    bias=False)``, created in this order), the buffer ``tril`` (the causal
    mask), ``dropout`` (``nn.Dropout``, applied to the weights) and
    ``head_size``.
    """

    def __init__(self, head_size, config):
        """Create the three projections, the dropout and the causal mask."""
        super().__init__()
        # BEGIN SOLUTION
        self.head_size = head_size
        self.key_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.query_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.value_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.dropout = nn.Dropout(config.dropout_rate)
        block = config.input_sequence_length
        self.register_buffer("tril", torch.tril(torch.ones(block, block)))
        # END SOLUTION

    def forward(self, input_tensor):
        """input_tensor: (B, T, C) with T <= input_sequence_length  ->  (B, T, H)"""
        # BEGIN SOLUTION
        B, T, C = input_tensor.shape
        keys = self.key_fc(input_tensor)  # (B, T, H)
        queries = self.query_fc(input_tensor)  # (B, T, H)
        values = self.value_fc(input_tensor)  # (B, T, H)
        scores = queries @ keys.transpose(-2, -1) * self.head_size**-0.5  # (B, T, T)
        scores = scores.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
        weights = F.softmax(scores, dim=-1)  # (B, T, T)
        weights = self.dropout(weights)
        return weights @ values  # (B, T, H)
        # END SOLUTION
