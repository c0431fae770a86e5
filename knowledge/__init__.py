"""Brand knowledge: the sample brand, embeddings, the FAISS index, retrieval and rulebooks."""
