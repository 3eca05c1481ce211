"""Alternative: the steps of Sections 2-8 written differently from the reference.

One dot product at a time with ``torch.dot`` (as the tutorial's w1, w2, w3),
``torch.matmul`` and ``einsum``, a mask from ``tril == 0`` filled with -1e9,
the softmax by hand, ``int(C / n)`` for the head size (the tutorial's
spelling) and ``F.linear`` for the projection. Every step must still pass.
"""

import torch
from torch.nn import functional as F

from gallery import correct_chapter

correct_chapter(__name__)


def dot_product_weights(query, keys):
    return torch.stack([torch.dot(query, key) for key in keys])


def weighted_sum(weights, values):
    return sum(weight * value for weight, value in zip(weights, values, strict=True))


def self_attention_unscaled(query, key, value):
    return torch.matmul(torch.matmul(query, key.transpose(-1, -2)), value)


def dot_product_variance(dim, samples, generator):
    pairs = torch.randn(2, samples, dim, generator=generator)
    dot_products = torch.einsum("nd,nd->n", pairs[0], pairs[1])
    return float(((dot_products - dot_products.mean()) ** 2).sum() / (samples - 1))


def scale_scores(scores, head_size):
    return scores / head_size**0.5


def softmax_weights(scores):
    exponentials = torch.exp(scores - scores.amax(dim=-1, keepdim=True))
    return exponentials / exponentials.sum(dim=-1, keepdim=True)


def future_mask(sequence_length):
    return torch.ones(sequence_length, sequence_length, dtype=torch.bool).triu(1)


def mask_future(scores):
    T = scores.shape[-1]
    seen = torch.tril(torch.ones(T, T, device=scores.device))
    return scores.masked_fill(seen == 0, -1e9)


def inverted_dropout(weights, keep_mask, p):
    return torch.where(keep_mask.bool(), weights / (1 - p), torch.zeros_like(weights))


def head_size_for(embedding_dim, num_heads):
    return int(embedding_dim / num_heads)


def project(input_tensor, weight):
    return F.linear(input_tensor, weight)
