import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  FileInput,
  Group,
  Progress,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { currentCsrfToken } from "../auth/session";
import { downloadCsv } from "../lib/csv";
import {
  ImportError,
  type ImportProgress,
  type ImportReport,
  importCustomers,
  rejectedRowsCsv,
} from "../lib/importCsv";

function ProgressLine({ progress }: { progress: ImportProgress }) {
  const label =
    progress.phase === "uploading"
      ? `Uploading… ${Math.round(progress.fraction * 100)}%`
      : `Checking rows… ${progress.rows.toLocaleString()}${
          progress.total === null ? "" : ` of ${progress.total.toLocaleString()}`
        }`;
  return (
    <Stack gap={4}>
      <Progress
        value={progress.fraction * 100}
        animated
        aria-label={label}
        color={progress.phase === "uploading" ? "gray" : "blue"}
      />
      <Text size="sm" c="dimmed" data-testid="import-progress">
        {label}
      </Text>
    </Stack>
  );
}

function Summary({ report }: { report: ImportReport }) {
  const counts = `${report.rows} rows: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} refused.`;
  if (report.dryRun) {
    return (
      <Alert color={report.rejected ? "yellow" : "blue"} title="Checked, nothing changed">
        A real import would handle {counts}
      </Alert>
    );
  }
  if (report.applied) {
    return (
      <Alert color={report.rejected ? "yellow" : "green"} title="Imported">
        {counts}
      </Alert>
    );
  }
  return (
    <Alert color="red" title="Nothing was imported">
      {report.rejected} of {report.rows} rows were refused, so no row was kept. Correct them and
      import the file again, or tick “Keep the good rows”.
    </Alert>
  );
}

function RejectedRows({ report }: { report: ImportReport }) {
  if (report.rejected === 0) {
    return null;
  }
  const shown = report.rejectedRows.length;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h5">
          Refused rows
        </Title>
        <Button
          variant="light"
          size="xs"
          onClick={() => downloadCsv("rejected-rows.csv", rejectedRowsCsv(report))}
        >
          Download refused rows
        </Button>
      </Group>
      {shown < report.rejected && (
        <Text size="sm" c="dimmed">
          The first {shown} of {report.rejected} refused rows.
        </Text>
      )}
      <Table.ScrollContainer minWidth={500}>
        <Table striped data-testid="rejected-rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Customer</Table.Th>
              <Table.Th>Column</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.rejectedRows.flatMap((row) =>
              row.errors.map((error, index) => (
                <Table.Tr key={`${row.line}-${index}`}>
                  <Table.Td>{index === 0 ? row.line : ""}</Table.Td>
                  <Table.Td>
                    {index === 0 ? (row.customerNumber ?? row.values.name ?? "") : ""}
                  </Table.Td>
                  <Table.Td>{error.column || "row"}</Table.Td>
                  <Table.Td>{error.message}</Table.Td>
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [partial, setPartial] = useState(false);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    if (!file) {
      return;
    }
    setReport(null);
    setError(null);
    setProgress({ phase: "uploading", fraction: 0, rows: 0, total: null });
    try {
      setReport(
        await importCustomers(
          file,
          { dryRun, partial, csrfToken: currentCsrfToken() },
          setProgress,
        ),
      );
    } catch (caught) {
      setError(caught instanceof ImportError ? caught.message : String(caught));
    } finally {
      setProgress(null);
    }
  };

  return (
    <Stack maw={960}>
      <Group justify="space-between">
        <Title order={1} size="h3">
          Import customers
        </Title>
        <Link to="/customers" search={{}}>
          Back to customers
        </Link>
      </Group>
      <Text size="sm">
        A CSV file with a header line, in the columns of the export. Rows with a known customer
        number update that customer; other rows create customers. Contacts and sites are JSON lists;
        those in the file are added or updated.{" "}
        <Anchor href="/import/customers-template.csv" download>
          Download the template
        </Anchor>
        , or{" "}
        <Anchor href="/export/customers.csv?archived=INCLUDE" download>
          export every customer
        </Anchor>{" "}
        in this format to edit in bulk.
      </Text>
      <FileInput
        label="CSV file"
        placeholder="Choose a .csv file"
        accept=".csv,text/csv"
        value={file}
        onChange={setFile}
        clearable
        disabled={progress !== null}
      />
      <Group>
        <Checkbox
          label="Check only (dry run)"
          checked={dryRun}
          onChange={(event) => setDryRun(event.currentTarget.checked)}
        />
        <Checkbox
          label="Keep the good rows when some are refused"
          checked={partial}
          onChange={(event) => setPartial(event.currentTarget.checked)}
        />
      </Group>
      <Group>
        <Button onClick={() => void start()} disabled={!file} loading={progress !== null}>
          {dryRun ? "Check file" : "Import"}
        </Button>
      </Group>
      {progress && <ProgressLine progress={progress} />}
      {error && (
        <Alert color="red" title="The file was not imported">
          {error}
        </Alert>
      )}
      {report && <Summary report={report} />}
      {report && <RejectedRows report={report} />}
    </Stack>
  );
}
