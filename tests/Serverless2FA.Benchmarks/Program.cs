Console.WriteLine("usage: dotnet run -c Release --project tests/Serverless2FA.Benchmarks -- <verify|webhook|sweep>");
return 2;
