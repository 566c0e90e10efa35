import { Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useSession } from "../auth/SessionContext";
import { signIn } from "../auth/session";
import { MAIN_ID } from "../components/SkipLink";

export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const { setSession } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      setSession(await signIn(email, password));
      onSignedIn();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "Sign-in failed.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Center component="main" id={MAIN_ID} mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={380} component="form" onSubmit={submit}>
        <Stack>
          <Title order={1} size="h2">
            Sign in to customer_graph
          </Title>
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={error !== null}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={error}
            errorProps={{ role: "alert" }}
          />
          <Button type="submit" loading={pending} disabled={pending}>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
