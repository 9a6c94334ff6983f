package org.dataversebackup.examples.esb;

import org.apache.camel.main.Main;

/**
 * An ESB team's camel-main application using dataverse-backup as a library: everything it does is
 * in application.properties and routes/*.camel.yaml.
 */
public final class EsbApplication {
    private EsbApplication() {
    }

    public static void main(String[] args) throws Exception {
        new Main(EsbApplication.class).run(args);
    }
}
