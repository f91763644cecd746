package hmn.language.options;

import hmn.captions.blip.BlipCaptioner;
import hmn.core.BadInputException;
import hmn.runtime.Engine;
import picocli.CommandLine.Option;

/** BLIP's checkpoint, decoding and engine options, for the commands that caption with {@code --captioner blip}. */
public final class BlipOptions {
    private static final int DEFAULT_BATCH = 8;
    private static final String DEFAULT_ENGINE = "onnxruntime";

    @Option(
            names = "--blip-repo",
            paramLabel = "OWNER/NAME[@REVISION]",
            description = "Hugging Face repository that --captioner blip fetches on first use (default: "
                    + BlipCaptioner.DEFAULT_REPO + " at main), e.g. Salesforce/blip-image-captioning-large.")
    public String repo;

    @Option(
            names = "--blip-beams",
            paramLabel = "N",
            description = "BLIP's beam width; 1 is greedy (default: the checkpoint's num_beams, 1 for Salesforce's).")
    public Integer beams;

    @Option(
            names = "--blip-max-tokens",
            paramLabel = "N",
            description = "New tokens per caption at most (default: the checkpoint's max_length minus [DEC] and the"
                    + " prompt).")
    public Integer maxTokens;

    @Option(
            names = "--blip-prompt",
            paramLabel = "TEXT",
            description = "Text every caption starts with, e.g. 'a photography of' (default: none).")
    public String prompt;

    @Option(
            names = "--blip-batch",
            paramLabel = "N",
            defaultValue = "" + DEFAULT_BATCH,
            description = "Images BLIP captions at once (default: ${DEFAULT-VALUE}).")
    public int batch = DEFAULT_BATCH;

    @Option(
            names = "--blip-engine",
            paramLabel = "ENGINE",
            defaultValue = DEFAULT_ENGINE,
            description = "What runs BLIP's image encoder: onnxruntime or pytorch (default: ${DEFAULT-VALUE}); the text"
                    + " decoder runs on PyTorch either way, and both give the same captions.")
    public String engine = DEFAULT_ENGINE;

    @Option(
            names = "--blip-threads",
            paramLabel = "N",
            description = "PyTorch's threads for BLIP (default: one per core); 1 can be faster on a busy machine.")
    public Integer threads;

    /** Whether any option differs from its default (they only apply to BLIP). */
    public boolean given() {
        return repo != null
                || beams != null
                || maxTokens != null
                || prompt != null
                || threads != null
                || batch != DEFAULT_BATCH
                || !DEFAULT_ENGINE.equals(engine);
    }

    /** Applies these options to {@code builder}, checking each; a local {@code modelDir} excludes --blip-repo. */
    public BlipCaptioner.Builder apply(BlipCaptioner.Builder builder, boolean modelDir) {
        if (repo != null) {
            if (modelDir) {
                throw new BadInputException("--blip-repo names a checkpoint to fetch, but --captioner blip:DIR already"
                        + " gives a local one; drop one of them");
            }
            String[] parts = repo.strip().split("@", 2);
            if (!parts[0].matches("[\\w.-]+/[\\w.-]+")) {
                throw new BadInputException("--blip-repo must be OWNER/NAME or OWNER/NAME@REVISION, e.g. "
                        + BlipCaptioner.DEFAULT_REPO + ", got '" + repo + "'");
            }
            builder.repo(parts[0]);
            if (parts.length == 2) {
                if (parts[1].isBlank()) {
                    throw new BadInputException("--blip-repo " + repo + " has an empty revision after '@'");
                }
                builder.revision(parts[1]);
            }
        }
        if (beams != null) {
            builder.beams(atLeastOne("--blip-beams", beams));
        }
        if (maxTokens != null) {
            builder.maxTokens(atLeastOne("--blip-max-tokens", maxTokens));
        }
        if (threads != null) {
            builder.threads(atLeastOne("--blip-threads", threads));
        }
        try {
            builder.engine(Engine.parse(engine));
        } catch (BadInputException e) {
            throw new BadInputException("--blip-engine must be onnxruntime or pytorch, got '" + engine + "'");
        }
        return builder.batchSize(atLeastOne("--blip-batch", batch)).prompt(prompt);
    }

    private static int atLeastOne(String option, int value) {
        if (value < 1) {
            throw new BadInputException(option + " must be at least 1, got " + value);
        }
        return value;
    }
}
