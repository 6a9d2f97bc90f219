// Checks an ontology file against OWL 2 profiles with the OWL API's own profile checker
// (org.semanticweb.owlapi.profiles.Profiles). tests/test_standards.py compiles it with javac at
// test time against Debian's OWL API 5 (libowlapi-java) and reads what it prints.
//
// Usage: java ProfileCheck PROFILE[,PROFILE...] FILE      (PROFILE: DL, RL, EL, QL)
// Prints one line per violation, "PROFILE<TAB>violation class<TAB>axiom<TAB>message", then
// "PROFILE<TAB>violations: N" for each profile.
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.profiles.Profiles;

public final class ProfileCheck {
    private ProfileCheck() {}

    private static Profiles profile(String name) {
        switch (name) {
            case "DL": return Profiles.OWL2_DL;
            case "RL": return Profiles.OWL2_RL;
            case "EL": return Profiles.OWL2_EL;
            case "QL": return Profiles.OWL2_QL;
            default: throw new IllegalArgumentException("unknown profile " + name);
        }
    }

    /** One line: a violation's text may hold newlines (literals), a tab would split the columns. */
    private static String oneLine(Object o) {
        return String.valueOf(o).replace('\n', ' ').replace('\t', ' ');
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ProfileCheck PROFILE[,PROFILE...] FILE");
            System.exit(2);
        }
        OWLOntology ontology = OWLManager.createOWLOntologyManager()
            .loadOntologyFromOntologyDocument(new File(args[1]));
        for (String name : args[0].split(",")) {
            OWLProfileReport report = profile(name).checkOntology(ontology);
            for (OWLProfileViolation v : report.getViolations()) {
                System.out.println(name + "\t" + v.getClass().getSimpleName() + "\t" + oneLine(v.getAxiom())
                    + "\t" + oneLine(v));
            }
            System.out.println(name + "\tviolations: " + report.getViolations().size());
        }
    }
}
