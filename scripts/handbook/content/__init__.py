"""Read and validate the contributed files (YAML, vocabulary, models, loaders); knows nothing of MkDocs."""
