// Runs SPARQL queries through Apache Jena ARQ over an N-Quads dump, in one JVM (tests/test_jena.py).
//
//   java -cp JENA_CLASSPATH:CLASSES RunQueries DUMP.nq QUERY.rq...
//
// Loads the dump into an in-memory dataset, copies the union of its named graphs into the default
// graph (as the embedded store keeps a merged copy of its named graphs as its default graph), then
// writes each query's answer as SPARQL JSON results next to it (QUERY.rq -> QUERY.srj). SELECT and
// ASK only: the saved queries are one or the other.

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.sparql.core.DatasetGraph;

public class RunQueries {
    public static void main(String[] args) throws Exception {
        Dataset dataset = DatasetFactory.createTxnMem();
        RDFDataMgr.read(dataset, args[0]);
        DatasetGraph graphs = dataset.asDatasetGraph();
        Graph merged = graphs.getDefaultGraph();
        for (Iterator<Node> names = graphs.listGraphNodes(); names.hasNext(); ) {
            graphs.getGraph(names.next()).find().forEachRemaining(merged::add);
        }
        for (int i = 1; i < args.length; i++) {
            String text = Files.readString(Path.of(args[i]), StandardCharsets.UTF_8);
            Query query = QueryFactory.create(text);
            try (QueryExecution run = QueryExecutionFactory.create(query, dataset);
                 OutputStream out = new FileOutputStream(args[i].replaceFirst("\\.rq$", "") + ".srj")) {
                if (query.isAskType()) {
                    ResultSetFormatter.outputAsJSON(out, run.execAsk());
                } else {
                    ResultSetFormatter.outputAsJSON(out, run.execSelect());
                }
            }
        }
    }
}
