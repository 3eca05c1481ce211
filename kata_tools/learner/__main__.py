from kata_tools.learner.cli import main, run

raise SystemExit(run(main))
