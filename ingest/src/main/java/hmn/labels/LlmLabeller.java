package hmn.labels;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import hmn.core.BadInputException;
import hmn.language.cache.Hashing;
import hmn.language.cache.JsonlCache;
import hmn.language.llm.AnswerValidator;
import hmn.language.llm.LlmUnavailableException;
import hmn.language.llm.Prompt;
import hmn.language.llm.Prompts;
import hmn.language.llm.ResilientCaller;
import hmn.language.llm.RetryPolicy;
import hmn.language.llm.Sleeper;
import hmn.progress.ProgressBars;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import me.tongfei.progressbar.ProgressBar;

/**
 * Labels clusters with a LangChain4j chat model: representative captions, generalisations and difference
 * descriptions, from the prompt files. Runs up to {@code concurrency} calls at once, retries under a
 * {@link RetryPolicy}, accepts only answers that pass the {@link AnswerValidator}, and serves repeated prompts from a
 * content-addressed {@link JsonlCache} (key = SHA-256 of model, prompt version and prompt text). A request whose
 * answers are all rejected, or that the server calls bad, is labelled by the fallback labeller (the offline
 * default), and its label says so. Wrong keys, models or URLs stop the run with a {@link BadInputException} (exit
 * code 2) whose cause is an {@link LlmUnavailableException}.
 */
public final class LlmLabeller implements Labeller {
    private static final Logger LOG = Logger.getLogger(LlmLabeller.class.getName());

    private final ChatModel chatModel;
    private final String model;
    private final Prompts prompts;
    private final Labeller fallback;
    private final int concurrency;
    private final ResilientCaller caller;
    private final AnswerValidator validator;
    private final AnswerValidator differenceValidator;
    private final JsonlCache cache;
    private final int maxCaptions;
    private final int maxPromptChars;
    private final boolean progress;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();

    private LlmLabeller(Builder b) {
        this.chatModel = Objects.requireNonNull(b.chatModel, "chatModel");
        this.model = Objects.requireNonNull(b.model, "model");
        this.fallback = Objects.requireNonNull(b.fallback, "fallback (the offline labeller) is required");
        this.prompts = b.prompts == null ? Prompts.defaults() : b.prompts;
        if (b.concurrency < 1 || b.concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be in [1, 256], got " + b.concurrency);
        }
        if (b.maxCaptions < 1 || b.maxPromptChars < 100) {
            throw new IllegalArgumentException("maxCaptions must be >= 1 and maxPromptChars >= 100, got "
                    + b.maxCaptions + ", " + b.maxPromptChars);
        }
        this.concurrency = b.concurrency;
        this.caller = new ResilientCaller(b.retryPolicy, b.sleeper);
        this.validator = new AnswerValidator(b.maxAnswerChars);
        this.differenceValidator = new AnswerValidator(Math.min(b.maxAnswerChars, 120));
        this.cache = b.cache;
        this.maxCaptions = b.maxCaptions;
        this.maxPromptChars = b.maxPromptChars;
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Counters since this labeller was built. */
    public record Stats(long calls, long cacheHits, long fallbacks) {}

    public Stats stats() {
        return new Stats(calls.get(), cacheHits.get(), fallbacks.get());
    }

    @Override
    public List<Label> label(List<LabelRequest> requests) {
        Label[] out = new Label[requests.size()];
        List<Integer> failed = new ArrayList<>();
        AtomicInteger unused = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, requests.size())), r -> {
            Thread t = new Thread(r, "hmn-llm-" + unused.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try (ProgressBar bar = progressBar(requests.size())) {
            List<Future<Label>> futures = new ArrayList<>(requests.size());
            for (LabelRequest request : requests) {
                futures.add(pool.submit(() -> {
                    try {
                        if (stopped.get()) {
                            return null; // a fatal fault ended the run: make no more calls
                        }
                        return labelOne(request);
                    } catch (LlmUnavailableException e) {
                        stopped.set(true);
                        throw e;
                    } finally {
                        if (bar != null) {
                            bar.step();
                        }
                    }
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out[i] = futures.get(i).get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof LlmUnavailableException u) {
                        throw new BadInputException("--llm " + model + ": " + u.getMessage(), u);
                    }
                    throw new IllegalStateException(
                            "labelling " + requests.get(i).subject() + " failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while labelling", e);
                }
                if (out[i] == null) {
                    failed.add(i);
                }
            }
        } finally {
            pool.shutdownNow();
            if (cache != null) {
                cache.flush();
            }
        }
        if (!failed.isEmpty()) {
            fallbacks.addAndGet(failed.size());
            LOG.warning(() -> failed.size() + " of " + requests.size() + " label(s) fell back to the offline default"
                    + " (the LLM's answers were rejected or failed; see the log at FINE for reasons)");
            List<Label> offline =
                    fallback.label(failed.stream().map(requests::get).toList());
            for (int k = 0; k < failed.size(); k++) {
                out[failed.get(k)] = offline.get(k);
            }
        }
        return List.of(out);
    }

    /** The label from the cache or the model, or null when the fallback must write it. */
    private Label labelOne(LabelRequest request) {
        Prompt prompt = promptFor(request);
        String text = render(prompt, request);
        String key = Hashing.key(model, prompt.version(), text);
        if (cache != null) {
            var hit = cache.get(key);
            if (hit.isPresent()) {
                cacheHits.incrementAndGet();
                return new Label(hit.get(), "llm", model, prompt.version(), false);
            }
        }
        AnswerValidator v = request.kind() == LabelRequest.Kind.DIFFERENCE ? differenceValidator : validator;
        ResilientCaller.Outcome<String> outcome = caller.call(
                request.subject(),
                () -> {
                    calls.incrementAndGet();
                    ChatResponse response = chatModel.chat(UserMessage.from(text));
                    return response.aiMessage() == null
                            ? null
                            : response.aiMessage().text();
                },
                v::check);
        if (!outcome.ok()) {
            LOG.fine(() -> request.subject() + ": " + outcome.failure());
            return null;
        }
        if (cache != null) {
            cache.put(
                    key,
                    outcome.value(),
                    Map.of(
                            "model",
                            model,
                            "prompt_version",
                            prompt.version(),
                            "kind",
                            request.kind().name().toLowerCase()));
        }
        return new Label(outcome.value(), "llm", model, prompt.version(), false);
    }

    private Prompt promptFor(LabelRequest request) {
        return switch (request.kind()) {
            case REPRESENTATIVE -> prompts.get("representative");
            case GENERALISATION -> prompts.get("generalisation");
            case DIFFERENCE -> prompts.get("difference");
        };
    }

    private String render(Prompt prompt, LabelRequest request) {
        if (request.kind() == LabelRequest.Kind.DIFFERENCE) {
            return prompt.render(Map.of("child", request.captions().get(0), "parent", request.reference()));
        }
        CaptionSample sample = CaptionSample.of(request.captions(), maxCaptions, maxPromptChars);
        return prompt.render(Map.of("captions", sample.text(), "sample_note", sample.note()));
    }

    private ProgressBar progressBar(int total) {
        return ProgressBars.optional(progress, "labels", total, "labels");
    }

    public static final class Builder {
        private ChatModel chatModel;
        private String model;
        private Prompts prompts;
        private Labeller fallback;
        private int concurrency = 4;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Sleeper sleeper = Sleeper.REAL;
        private JsonlCache cache;
        private int maxCaptions = 60;
        private int maxPromptChars = 6000;
        private int maxAnswerChars = 200;
        private boolean progress;

        /** The LangChain4j chat model; see {@code ChatModels.create}. */
        public Builder chatModel(ChatModel chatModel) {
            this.chatModel = chatModel;
            return this;
        }

        /** Provenance recorded with each label and part of the cache key, e.g. "openai:gpt-4o-mini". */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder prompts(Prompts prompts) {
            this.prompts = prompts;
            return this;
        }

        /** Labels what the LLM could not (required): the offline default. */
        public Builder fallback(Labeller fallback) {
            this.fallback = fallback;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy);
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        /** The answer cache, or null for none. The caller owns it (closes it). */
        public Builder cache(JsonlCache cache) {
            this.cache = cache;
            return this;
        }

        /** At most this many distinct captions go into one prompt (see {@link CaptionSample}). */
        public Builder maxCaptions(int maxCaptions) {
            this.maxCaptions = maxCaptions;
            return this;
        }

        /** At most about this many characters of captions go into one prompt. */
        public Builder maxPromptChars(int maxPromptChars) {
            this.maxPromptChars = maxPromptChars;
            return this;
        }

        public Builder maxAnswerChars(int maxAnswerChars) {
            this.maxAnswerChars = maxAnswerChars;
            return this;
        }

        /** Shows a progress bar on stderr. */
        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        public LlmLabeller build() {
            return new LlmLabeller(this);
        }
    }
}
