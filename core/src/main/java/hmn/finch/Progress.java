package hmn.finch;

/** Progress of long work (blocks of dot products); the command line shows it as a progress bar. */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {}

        @Override
        public void step(long done) {}

        @Override
        public void end() {}
    };

    void start(String task, long total);

    void step(long done);

    void end();
}
