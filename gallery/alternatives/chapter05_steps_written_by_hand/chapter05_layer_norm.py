"""Alternative: the steps of Section 1 written out by hand.

The mean as a sum divided by the count, the biased variance as the average
squared deviation, the division as a multiplication by ``torch.rsqrt``, and
``torch.addcmul`` for the scale and shift. Same numbers, other code.
"""

import torch

from gallery import correct_chapter

correct_chapter(__name__)


def token_mean(x, dim=-1):
    return x.sum(dim=dim, keepdim=True) / x.shape[dim]


def token_variance(x, dim=-1):
    deviation = x - x.sum(dim=dim, keepdim=True) / x.shape[dim]
    return (deviation**2).mean(dim=dim, keepdim=True)


def normalise(x, mean, variance, eps=1e-5):
    return (x - mean) * torch.rsqrt(variance + eps)


def scale_and_shift(x_hat, gamma, beta):
    return torch.addcmul(beta, gamma, x_hat)
