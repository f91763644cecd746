package hmn.captions;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import hmn.language.llm.AnswerValidator;
import hmn.language.llm.LlmUnavailableException;
import hmn.language.llm.Prompt;
import hmn.language.llm.Prompts;
import hmn.language.llm.ResilientCaller;
import hmn.language.llm.RetryPolicy;
import hmn.language.llm.Sleeper;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/**
 * Captions images with a vision-capable chat model through LangChain4j (OpenAI or an OpenAI-compatible server,
 * Ollama): each image, scaled so its longer side is at most {@code maxSide} pixels, goes as a JPEG with the
 * {@code caption} prompt. A batch runs {@code concurrency} calls at once; answers are validated (one sentence, no
 * quotes or preamble) and retried under a {@link RetryPolicy}. An image that gets no acceptable caption is a failed
 * {@link Outcome} naming the reason (the caption stage skips it and a re-run tries it again); a fault that would fail
 * every call (the server unreachable, a refused key) stops the batch.
 */
public final class ChatModelCaptioner implements Captioner {
    private final ChatModel chatModel;
    private final String model;
    private final Prompt prompt;
    private final int concurrency;
    private final int maxSide;
    private final ResilientCaller caller;
    private final AnswerValidator validator;
    private final ExecutorService pool;

    private ChatModelCaptioner(Builder b) {
        this.chatModel = Objects.requireNonNull(b.chatModel, "chatModel");
        this.prompt = (b.prompts == null ? Prompts.defaults() : b.prompts).get("caption");
        this.model = Objects.requireNonNull(b.model, "model") + "/" + prompt.version();
        if (b.concurrency < 1 || b.maxSide < 32) {
            throw new IllegalArgumentException(
                    "concurrency must be >= 1 and maxSide >= 32, got " + b.concurrency + ", " + b.maxSide);
        }
        this.concurrency = b.concurrency;
        this.maxSide = b.maxSide;
        this.caller = new ResilientCaller(b.retryPolicy, b.sleeper);
        this.validator = new AnswerValidator(200);
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "hmn-caption");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<String> caption(List<BufferedImage> images) {
        List<String> out = new ArrayList<>(images.size());
        for (Outcome outcome : captionEach(images)) {
            if (!outcome.ok()) {
                throw new LlmUnavailableException(outcome.failure());
            }
            out.add(outcome.caption());
        }
        return out;
    }

    @Override
    public List<Outcome> captionEach(List<BufferedImage> images) {
        List<Future<Outcome>> futures = new ArrayList<>();
        for (BufferedImage image : images) {
            futures.add(pool.submit(() -> captionOne(image)));
        }
        List<Outcome> out = new ArrayList<>(images.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(futures.get(i).get());
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while captioning", e);
            }
        }
        return out;
    }

    /** One image's caption; a failed outcome when every attempt failed or was refused by the validator. */
    private Outcome captionOne(BufferedImage image) {
        String jpeg = Base64.getEncoder().encodeToString(jpeg(scaled(image)));
        UserMessage message = UserMessage.from(
                TextContent.from(prompt.render(java.util.Map.of())), ImageContent.from(jpeg, "image/jpeg"));
        ResilientCaller.Outcome<String> outcome = caller.call(
                "caption",
                () -> {
                    ChatResponse response = chatModel.chat(message);
                    return response.aiMessage() == null
                            ? null
                            : response.aiMessage().text();
                },
                validator::check);
        if (!outcome.ok()) {
            return Outcome.failed("captioning with " + model + " failed after " + outcome.attempts() + " attempt(s): "
                    + outcome.failure());
        }
        return Outcome.of(outcome.value());
    }

    private BufferedImage scaled(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int longer = Math.max(w, h);
        if (longer <= maxSide) {
            return image;
        }
        double f = (double) maxSide / longer;
        int sw = Math.max(1, (int) Math.round(w * f));
        int sh = Math.max(1, (int) Math.round(h * f));
        BufferedImage out = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, sw, sh, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage image) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "jpg", bytes)) {
                throw new IllegalStateException("no JPEG writer in this JVM");
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Provenance, e.g. "openai:gpt-4o-mini/caption-v1" (model and prompt version). */
    @Override
    public String model() {
        return model;
    }

    @Override
    public int preferredBatchSize() {
        return concurrency * 4;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    public static final class Builder {
        private ChatModel chatModel;
        private String model;
        private Prompts prompts;
        private int concurrency = 4;
        private int maxSide = 512;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Sleeper sleeper = Sleeper.REAL;

        public Builder chatModel(ChatModel chatModel) {
            this.chatModel = chatModel;
            return this;
        }

        /** e.g. "openai:gpt-4o-mini". */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder prompts(Prompts prompts) {
            this.prompts = prompts;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Images are scaled down so that their longer side is at most this (default 512). */
        public Builder maxSide(int maxSide) {
            this.maxSide = maxSide;
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

        public ChatModelCaptioner build() {
            return new ChatModelCaptioner(this);
        }
    }
}
