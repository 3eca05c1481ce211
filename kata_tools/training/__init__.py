"""Training the learner's GPT: recipes, checkpoints, the training loop (``make train``), sampling
(``make generate``) and the recipe benchmark (``make bench``)."""
