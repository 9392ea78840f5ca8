package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line {@link Main} builds with only the subcommands the arguments reach answers exactly as the one with
 * every subcommand: help, version, usage errors and their exit codes.
 */
class SubcommandsForTest {
    @Test
    void helpVersionAndUsageErrorsAreTheSameAsWithEverySubcommand() {
        List<List<String>> cases = new ArrayList<>(List.of(
                List.of(), List.of("--version"), List.of("-V"), List.of("--help"), List.of("-h"),
                List.of("--version", "--help"), List.of("sned"), List.of("--log-level"),
                List.of("--log-level", "loud", "send"), List.of("--log-level", "debug", "send", "--help"),
                List.of("--log-level=debug", "inbox", "--no-such-option"), List.of("send", "--to", "X26ABC2"),
                List.of("send", "--subject", "status", "--help"), List.of("dps", "--help"), List.of("dps"),
                List.of("gateway"), List.of("--", "send")));
        for (Class<?> subcommand : MeshgateCommand.SUBCOMMANDS) {
            String name = subcommand.getAnnotation(CommandLine.Command.class).name();
            cases.add(List.of(name, "--help"));
            cases.add(List.of(name, "--version"));
        }

        for (List<String> args : cases) {
            String[] argv = args.toArray(new String[0]);
            String lazily = run(Main.subcommandsFor(argv), argv);
            String withAll = run(MeshgateCommand.SUBCOMMANDS, argv);
            assertThat(lazily).as(String.join(" ", args)).isEqualTo(withAll);
        }
    }

    @Test
    void mainPrintsTheVersionAsPicocliDoes() {
        StringWriter main = new StringWriter();
        Main.printVersion(new PrintWriter(main));

        assertThat(run(MeshgateCommand.SUBCOMMANDS, "--version")).isEqualTo("exit 0\n--- out\n" + main + "--- err\n");
        assertThat(main.toString()).startsWith("meshgate 0.1.0" + System.lineSeparator() + "java ");
    }

    @Test
    void theNamesAreTheAnnotationsNames() {
        List<String> names = new ArrayList<>();
        for (Class<?> subcommand : MeshgateCommand.SUBCOMMANDS) {
            CommandLine.Command command = subcommand.getAnnotation(CommandLine.Command.class);
            assertThat(command.aliases()).as(command.name()).isEmpty();
            names.add(command.name());
        }
        assertThat(MeshgateCommand.SUBCOMMAND_NAMES).isEqualTo(names);
    }

    @Test
    void onlyTheNamedSubcommandIsBuilt() {
        assertThat(Main.subcommandsFor("--log-level", "debug", "send", "--subject", "status", "f.csv"))
                .containsExactly(SendCommand.class);
        assertThat(Main.subcommandsFor("--version")).isEmpty();
        assertThat(Main.subcommandsFor("--help")).isEqualTo(MeshgateCommand.SUBCOMMANDS);
        assertThat(Main.subcommandsFor()).isEqualTo(MeshgateCommand.SUBCOMMANDS);
        assertThat(Main.subcommandsFor("sned")).isEqualTo(MeshgateCommand.SUBCOMMANDS);
    }

    private static String run(List<Class<?>> subcommands, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new CliEnvironment(Map.of(), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), false), subcommands);
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
