package hmn.captions.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Autoregressive decoding as Hugging Face's {@code generate} does it for BLIP: the prefix ([DEC] and the prompt's
 * tokens) is fed first, then tokens are chosen until [SEP] or until {@code maxTokens} new tokens. Greedy picks the
 * most likely token; beam search keeps {@code beams} hypotheses per image, scores finished ones by their summed
 * log-probability divided by the number of tokens generated ([SEP] included; length penalty 1) and stops an image
 * when no running beam can beat its worst finished one ({@code early_stopping=False}). The returned token lists hold the generated tokens only, without [SEP].
 */
final class CaptionSearch {
    private final BlipModel model;
    private final int sepId;
    private final int padId;

    CaptionSearch(BlipModel model) {
        this.model = model;
        this.sepId = model.config().text().sepTokenId();
        this.padId = model.config().text().padTokenId();
    }

    List<List<Integer>> greedy(NDArray imageEmbeds, List<Integer> prefix, int maxTokens, NDManager batch) {
        int rows = (int) imageEmbeds.getShape().get(0);
        BlipModel.DecoderState state = model.start(imageEmbeds, batch);
        List<List<Integer>> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            out.add(new ArrayList<>());
        }
        boolean[] done = new boolean[rows];
        long[] next = feedPrefix(state, prefix, rows, batch, true).argMax;
        for (int generated = 0; generated < maxTokens; generated++) {
            boolean all = true;
            for (int r = 0; r < rows; r++) {
                if (done[r]) {
                    next[r] = padId;
                    continue;
                }
                if (next[r] == sepId) {
                    done[r] = true;
                } else {
                    out.get(r).add((int) next[r]);
                    all = false;
                }
            }
            if (all || generated + 1 == maxTokens) {
                break;
            }
            try (NDManager step = batch.newSubManager()) {
                NDArray logits = state.step(step.create(next), step);
                next = logits.argMax(1).toLongArray();
            }
        }
        return out;
    }

    List<List<Integer>> beam(NDArray imageEmbeds, List<Integer> prefix, int maxTokens, int beams, NDManager batch) {
        int images = (int) imageEmbeds.getShape().get(0);
        int rows = images * beams;
        long[] expand = new long[rows];
        for (int r = 0; r < rows; r++) {
            expand[r] = r / beams;
        }
        NDArray expanded = imageEmbeds.get(new ai.djl.ndarray.index.NDIndex("{}", batch.create(expand)));
        BlipModel.DecoderState state = model.start(expanded, batch);
        int vocab = model.config().text().vocabSize();
        float[] beamScores = new float[rows];
        for (int r = 0; r < rows; r++) {
            beamScores[r] = r % beams == 0 ? 0f : -1e9f;
        }
        List<List<Integer>> seqs = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            seqs.add(new ArrayList<>());
        }
        List<Hypotheses> hyps = new ArrayList<>();
        for (int b = 0; b < images; b++) {
            hyps.add(new Hypotheses(beams));
        }
        boolean[] done = new boolean[images];
        StepResult logits = feedPrefix(state, prefix, rows, batch, false);
        for (int generated = 0; generated < maxTokens; generated++) {
            float[] values;
            long[] indices;
            try (NDManager step = batch.newSubManager()) {
                logits.logits.attach(step);
                NDArray scores =
                        logits.logits.logSoftmax(1).add(step.create(beamScores).reshape(rows, 1));
                NDList top = scores.reshape(images, (long) beams * vocab).topK(2 * beams, 1, true, true);
                values = top.get(0).toFloatArray();
                indices = top.get(1).toLongArray();
            }
            // Hugging Face's lengths: tokens generated so far, counting the one chosen in this step.
            int generatedLen = generated + 1;
            long[] nextRows = new long[rows];
            long[] nextTokens = new long[rows];
            float[] nextScores = new float[rows];
            for (int b = 0; b < images; b++) {
                if (done[b]) {
                    for (int k = 0; k < beams; k++) {
                        nextRows[b * beams + k] = b * beams;
                        nextTokens[b * beams + k] = padId;
                    }
                    continue;
                }
                int chosen = 0;
                for (int rank = 0; rank < 2 * beams && chosen < beams; rank++) {
                    int i = b * 2 * beams + rank;
                    int token = (int) (indices[i] % vocab);
                    int row = b * beams + (int) (indices[i] / vocab);
                    if (token == sepId) {
                        if (rank < beams) {
                            hyps.get(b).add(seqs.get(row), values[i], generatedLen);
                        }
                    } else {
                        int slot = b * beams + chosen++;
                        nextRows[slot] = row;
                        nextTokens[slot] = token;
                        nextScores[slot] = values[i];
                    }
                }
                float best = values[b * 2 * beams]; // topK is sorted
                done[b] = hyps.get(b).isDone(best, generatedLen);
            }
            List<List<Integer>> grown = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                List<Integer> s = new ArrayList<>(seqs.get((int) nextRows[r]));
                s.add((int) nextTokens[r]);
                grown.add(s);
            }
            seqs = grown;
            beamScores = nextScores;
            boolean allDone = true;
            for (boolean d : done) {
                allDone &= d;
            }
            if (allDone || generated + 1 == maxTokens) {
                break;
            }
            state.select(batch.create(nextRows));
            try (NDManager step = batch.newSubManager()) {
                NDArray next = state.step(step.create(nextTokens), step);
                next.attach(batch);
                logits = new StepResult(next, null);
            }
        }
        List<List<Integer>> out = new ArrayList<>();
        for (int b = 0; b < images; b++) {
            if (!done[b]) {
                for (int k = 0; k < beams; k++) {
                    int r = b * beams + k;
                    hyps.get(b).add(seqs.get(r), beamScores[r], seqs.get(r).size());
                }
            }
            out.add(hyps.get(b).best());
        }
        return out;
    }

    private record StepResult(NDArray logits, long[] argMax) {}

    /** Feeds the prefix token by token; returns the last step's argmax (greedy) or its logits kept in batch. */
    private static StepResult feedPrefix(
            BlipModel.DecoderState state, List<Integer> prefix, int rows, NDManager batch, boolean argMaxOnly) {
        StepResult last = null;
        for (int i = 0; i < prefix.size(); i++) {
            long[] tokens = new long[rows];
            Arrays.fill(tokens, prefix.get(i));
            try (NDManager step = batch.newSubManager()) {
                NDArray logits = state.step(step.create(tokens), step);
                if (i == prefix.size() - 1) {
                    if (argMaxOnly) {
                        last = new StepResult(null, logits.argMax(1).toLongArray());
                    } else {
                        logits.attach(batch);
                        last = new StepResult(logits, null);
                    }
                }
            }
        }
        return last;
    }

    /** The finished hypotheses of one image, at most {@code beams}, scored by length-normalised log-probability. */
    private static final class Hypotheses {
        private final int beams;
        private final List<List<Integer>> tokens = new ArrayList<>();
        private final List<Double> scores = new ArrayList<>();

        Hypotheses(int beams) {
            this.beams = beams;
        }

        void add(List<Integer> sequence, double sumLogProbs, int length) {
            double score = sumLogProbs / length;
            if (tokens.size() < beams || score > worst()) {
                tokens.add(List.copyOf(sequence));
                scores.add(score);
                if (tokens.size() > beams) {
                    int worst = 0;
                    for (int i = 1; i < scores.size(); i++) {
                        if (scores.get(i) < scores.get(worst)) {
                            worst = i;
                        }
                    }
                    tokens.remove(worst);
                    scores.remove(worst);
                }
            }
        }

        boolean isDone(double bestSumLogProbs, int length) {
            return tokens.size() >= beams && worst() >= bestSumLogProbs / length;
        }

        private double worst() {
            return scores.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NEGATIVE_INFINITY);
        }

        List<Integer> best() {
            int best = 0;
            for (int i = 1; i < scores.size(); i++) {
                if (scores.get(i) > scores.get(best)) {
                    best = i;
                }
            }
            return scores.isEmpty() ? List.of() : tokens.get(best);
        }
    }
}
