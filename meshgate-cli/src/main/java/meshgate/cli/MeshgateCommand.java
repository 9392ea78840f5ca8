package meshgate.cli;

import meshgate.client.MeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "meshgate",
        mixinStandardHelpOptions = true,
        versionProvider = MeshgateCommand.Version.class,
        description = {
            "MeshGate: NHS MESH (Message Exchange for Social Care and Health) client, sandbox and gateway.",
            "",
            "Start with 'meshgate quickstart': it runs a local MESH sandbox over mutual TLS and sends a message",
            "from one test mailbox to another, with nothing to configure."
        },
        subcommands = {QuickstartCommand.class, SandboxCommand.class, GatewayCommand.class})
final class MeshgateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"meshgate " + MeshClient.VERSION,
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
